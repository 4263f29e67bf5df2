import { HttpException, Logger, type ExecutionContext } from '@nestjs/common';
import type { ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import type { MoniteCaller } from '../monite-identity.js';
import type { MoniteAccessVerdict, MoniteDecisionReason } from './decide-monite-access.js';
import { accessDecisionEvent, callAuditHook } from './monite-access-audit.js';
import { setMoniteAccess, type MoniteAccessDecision } from './monite-access.decorator.js';
import {
  describeFailure,
  moniteForbiddenException,
  moniteUnauthorizedException,
  moniteUnavailableException,
  unavailableLogLine,
} from './monite-permission.exceptions.js';
import { NO_ROUTE_POLICY, type MoniteRoutePolicies, type MoniteRoutePolicy } from './monite-route-policy.js';
import { keepMoniteAccess } from './monite-transport-arguments.js';
import { toTransportError, transportErrorsReady } from './monite-transport-errors.js';
import { isPromiseLike, whenReady } from './when-ready.js';

type Reason = MoniteDecisionReason;

/**
 * How `MonitePermissionGuard` answers, once its steps have decided: a pass (the decision kept for
 * `@MoniteAccess()`), a 401, 403 or 503 (in the context's own error type outside HTTP), and every
 * outcome to the audit hook with its precise reason. Every method is protected, for a subclass to
 * override; the bodies and messages are in monite-permission.exceptions.ts.
 */
export abstract class MonitePermissionAnswers {
  protected readonly logger = new Logger('MonitePermissionGuard');
  protected abstract readonly options: ResolvedMoniteAuthOptions;
  protected abstract readonly policies: MoniteRoutePolicies;

  /** The guard's steps (`MonitePermissionGuard.check`). */
  protected abstract check(context: ExecutionContext): boolean | Promise<boolean>;

  /**
   * Passes: the decision goes to the audit hook, and for `@MoniteAccess()` on the HTTP request, or
   * outside HTTP with the call (one GraphQL field, one message: `keepMoniteAccess`).
   */
  protected allow(
    context: ExecutionContext,
    request: object,
    access: MoniteAccessDecision,
    reason: Reason,
  ): true {
    if (context.getType() === 'http') setMoniteAccess(request, access);
    else keepMoniteAccess(context, access);
    this.recordDecision(context, true, reason, access.caller);
    return true;
  }

  /** A denial of the decision table: 401 or 403. */
  protected deny(
    context: ExecutionContext,
    verdict: Extract<MoniteAccessVerdict, { outcome: 'deny' }>,
    caller: MoniteCaller,
  ): never {
    if (verdict.status === 401) return this.throwUnauthorized(context, verdict.reason, caller);
    return this.throwDenied(context, verdict.reason, caller);
  }

  /** 403 naming the route's permission; `owner_unknown` reads as `not_owner` in the body. */
  protected throwDenied(context: ExecutionContext, reason: Reason, caller?: MoniteCaller): never {
    this.recordDecision(context, false, reason, caller);
    throw moniteForbiddenException(reason, this.getPolicy(context).requirement?.name, context.getType());
  }

  /** 401: nobody (`no_user`), or somebody Monite does not know (`unknown_entity_user`). */
  protected throwUnauthorized(
    context: ExecutionContext,
    reason: Reason = 'no_user',
    caller?: MoniteCaller,
  ): never {
    this.recordDecision(context, false, reason, caller);
    throw moniteUnauthorizedException(reason);
  }

  /** 503: the role (or the owner) could not be loaded. Never a pass. The cause is logged, not sent. */
  protected throwUnavailable(
    context: ExecutionContext,
    reason: Reason,
    caller: MoniteCaller | undefined,
    cause: unknown,
  ): never {
    this.logger.warn(unavailableLogLine(reason, caller, this.getPolicy(context).handler, cause));
    this.recordDecision(context, false, reason, caller);
    throw moniteUnavailableException(reason);
  }

  /** `resolveEntityUser` threw or rejected: its own HTTP error stands; anything else reads as nobody (401). */
  protected resolverFailed(context: ExecutionContext, error: unknown): undefined {
    if (error instanceof HttpException) throw error;
    const where = this.getPolicy(context).handler;
    this.logger.warn(`resolveEntityUser failed on ${where}: ${describeFailure(error)}`);
    return undefined;
  }

  /** An owner resolver failed: its own HTTP error (e.g. 400 for a malformed id) stands; anything else (a timeout too) is 503. */
  protected ownerFailed(context: ExecutionContext, caller: MoniteCaller, error: unknown): never {
    if (error instanceof HttpException) {
      this.recordDecision(context, false, 'owner_rejected', caller);
      throw error;
    }
    return this.throwUnavailable(context, 'owner_unavailable', caller, error);
  }

  /**
   * The same steps in a GraphQL, WebSocket or RPC call (or an unknown context, denied), where
   * every HttpException they end in becomes the context's own error (`toContextError`). The first
   * ws or rpc call waits once for that error class to load.
   */
  protected checkOutsideHttp(context: ExecutionContext): boolean | Promise<boolean> {
    const answer = (error: unknown): never => {
      throw this.toContextError(context, error);
    };
    return whenReady(transportErrorsReady(context.getType()), () => {
      let result: boolean | Promise<boolean>;
      try {
        result = this.check(context);
      } catch (error) {
        return answer(error);
      }
      return isPromiseLike(result) ? Promise.resolve(result).catch(answer) : result;
    });
  }

  /**
   * A denial (or an app's own HttpException) as this context answers it: the HttpException over
   * HTTP, a GraphQL error with `extensions.code`, a WsException, an RpcException
   * (monite-transport-errors.ts). The one place where a denial meets a transport.
   */
  protected toContextError(context: ExecutionContext, error: unknown): unknown {
    return toTransportError(context.getType(), error);
  }

  /** Calls the `onAccessDecision` audit hook, if any, with the precise reason. It never changes the decision. */
  protected recordDecision(
    context: ExecutionContext,
    allowed: boolean,
    reason: Reason,
    caller?: MoniteCaller,
  ): void {
    const hook = this.options.hooks?.onAccessDecision;
    if (hook === undefined) return;
    const event = accessDecisionEvent(this.getPolicy(context), allowed, reason, caller);
    callAuditHook(hook, event, (error) => this.hookFailed(error));
  }

  protected hookFailed(error: unknown): void {
    this.logger.error(`onAccessDecision hook failed: ${describeFailure(error)}`);
  }

  /** The route's policy, worked out on first use and cached per handler and class. */
  protected getPolicy(context: ExecutionContext): MoniteRoutePolicy {
    const handler = context.getHandler();
    return typeof handler === 'function' ? this.policies.get(context.getClass(), handler) : NO_ROUTE_POLICY;
  }
}
