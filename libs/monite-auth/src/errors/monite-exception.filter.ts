import { type ArgumentsHost, Catch, type ExceptionFilter, Logger, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MoniteAuthError } from './monite-auth.errors.js';
import { MoniteHttpException, toMoniteHttpException } from './monite-http-exception.js';

/** The response methods of Express (`status`, `setHeader`, `json`) and Fastify (`code`, `header`, `send`). */
interface PlatformResponse {
  status?(code: number): unknown;
  setHeader?(name: string, value: string): unknown;
  json?(body: unknown): unknown;
  code?(code: number): unknown;
  header?(name: string, value: string): unknown;
  send?(body: unknown): unknown;
}

/**
 * Turns a library error that escapes a controller (a `MoniteTokenService` or `MoniteClient` call)
 * into the HTTP answer `toMoniteHttpException` gives it, instead of Nest's 500, and sends
 * `Retry-After` with a 429. Register it once, on Express or Fastify:
 *
 * `providers: [{ provide: APP_FILTER, useClass: MoniteExceptionFilter }]`
 *
 * (or `app.useGlobalFilters(new MoniteExceptionFilter(app.get(HttpAdapterHost)))`). Answers that
 * hide the library's own problem (502, 503, 500) are logged with the library's message, which is
 * secret-free. Outside HTTP it returns the mapped `MoniteHttpException` (GraphQL reports that).
 */
@Catch(MoniteAuthError, MoniteHttpException)
export class MoniteExceptionFilter implements ExceptionFilter {
  protected readonly logger = new Logger('MoniteAuth');

  constructor(@Optional() protected readonly adapterHost?: HttpAdapterHost) {}

  catch(error: MoniteAuthError | MoniteHttpException, host: ArgumentsHost): unknown {
    const exception = error instanceof MoniteHttpException ? error : toMoniteHttpException(error);
    const status = exception.getStatus();
    if (status >= 500) this.logger.warn(`answered ${status}: ${exception.moniteError.message}`);
    if (host.getType() !== 'http') return exception;

    const response = host.switchToHttp().getResponse<PlatformResponse>();
    const retryAfter = exception.retryAfterSeconds;
    const adapter = this.adapterHost?.httpAdapter;
    if (adapter !== undefined) {
      if (retryAfter !== undefined) adapter.setHeader(response, 'Retry-After', String(retryAfter));
      adapter.reply(response, exception.getResponse(), status);
      return undefined;
    }
    // Built with `new MoniteExceptionFilter()`: talk to the platform's response directly.
    if (typeof response.code === 'function' && typeof response.send === 'function') {
      if (retryAfter !== undefined) response.header?.('Retry-After', String(retryAfter));
      response.code(status);
      response.send(exception.getResponse());
    } else {
      if (retryAfter !== undefined) response.setHeader?.('Retry-After', String(retryAfter));
      response.status?.(status);
      response.json?.(exception.getResponse());
    }
    return undefined;
  }
}
