import { Inject, Injectable } from '@nestjs/common';
import type { DemoSettings } from '../config/demo-env.js';
import { DEMO_SETTINGS } from '../config/demo-settings.js';
import {
  LOOPBACK_HOST_NAMES,
  canonicalHostName,
  hostNameOfHeader,
  isLoopbackHostName,
  isWildcardAddress,
} from './host-names.js';

/**
 * What "the demo's own" is: the host names it answers to (loopback, `HOST`, the public origin's,
 * `DEMO_ALLOWED_HOSTS`) and the origins its own pages have (the one the request was addressed to,
 * and `DEMO_PUBLIC_ORIGIN` behind a proxy). Everything else is foreign.
 */
@Injectable()
export class OwnOrigins {
  /** Canonical host names a `Host` header may carry. */
  readonly hostNames: ReadonlySet<string>;
  /** Session cookies get `Secure` unless the demo listens on loopback only over plain http. */
  readonly secureCookies: boolean;
  private readonly publicOrigin?: string;
  private readonly publicHostName?: string;

  constructor(@Inject(DEMO_SETTINGS) settings: DemoSettings) {
    const bound = canonicalHostName(settings.host);
    const names = new Set([...LOOPBACK_HOST_NAMES, ...settings.allowedHosts]);
    if (bound !== undefined && !isWildcardAddress(bound)) names.add(bound);
    this.publicOrigin = settings.publicOrigin;
    this.publicHostName = settings.publicOrigin && new URL(settings.publicOrigin).hostname;
    if (this.publicHostName !== undefined) names.add(this.publicHostName);
    this.hostNames = names;
    const onLoopback = bound !== undefined && isLoopbackHostName(bound);
    this.secureCookies = !onLoopback || settings.publicOrigin?.startsWith('https:') === true;
  }

  /** True when a `Host` header names this demo (DNS rebinding sends the attacker's name instead). */
  isOwnHost(hostHeader: string | string[] | undefined): boolean {
    const name = hostNameOfHeader(hostHeader);
    return name !== undefined && this.hostNames.has(name);
  }

  /**
   * True when `url` (an `Origin`, or a `Referer`) is a page of this demo: the public origin, or the
   * origin the request itself was addressed to (`http://` + its `Host`, once that is known to be
   * ours; for the public host name only the public origin counts, so not its `http:` twin).
   * `Origin: null` and anything unparsable are foreign.
   */
  isOwnOrigin(url: string, hostHeader: string | string[] | undefined): boolean {
    const origin = originOf(url);
    if (origin === undefined) return false;
    if (origin === this.publicOrigin) return true;
    if (!this.isOwnHost(hostHeader)) return false;
    const addressed = originOf(`http://${hostHeader as string}`);
    return origin === addressed && new URL(addressed).hostname !== this.publicHostName;
  }
}

function originOf(url: string): string | undefined {
  try {
    const { protocol, origin } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? origin : undefined;
  } catch {
    return undefined;
  }
}
