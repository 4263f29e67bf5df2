import type { Logger } from '@nestjs/common';
import type { MoniteAuthHooks } from '../monite-auth.hooks.js';

type TokenHookName = 'onTokenFetched' | 'onTokenRefreshed' | 'onTokenFailed' | 'onTokenRevoked';
type EventOf<K extends TokenHookName> = Parameters<NonNullable<MoniteAuthHooks[K]>>[0];

/**
 * Calls the user's token hooks. A hook that throws (or rejects) is logged by name and ignored:
 * observability never breaks a request. Its error is not logged, as user code may put anything in it.
 */
export class TokenEvents {
  constructor(
    private readonly hooks: Readonly<MoniteAuthHooks>,
    private readonly logger: Logger,
  ) {}

  emit<K extends TokenHookName>(name: K, event: EventOf<K>): void {
    const hook = this.hooks[name] as ((event: EventOf<K>) => unknown) | undefined;
    if (hook === undefined) return;
    try {
      const result = hook.call(this.hooks, event);
      if (result instanceof Promise) result.catch(() => this.failed(name));
    } catch {
      this.failed(name);
    }
  }

  private failed(name: TokenHookName): void {
    this.logger.warn(`hook ${name} threw; ignored`);
  }
}
