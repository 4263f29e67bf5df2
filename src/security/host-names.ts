import { isIP } from 'node:net';

/** A DNS name: labels of letters, digits and inner hyphens (lower case here). */
const DNS_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** A Host header: a name or an IPv4 address, or an IPv6 address in brackets; then maybe a port. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i;

/** Names that always mean this machine: a rebinding attacker's page never carries them in `Host`. */
export const LOOPBACK_HOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** Addresses that mean "every interface" when listening: not a name anyone sends in `Host`. */
const WILDCARD_ADDRESSES: readonly string[] = ['0.0.0.0', '[::]'];

/**
 * A host name or IP address in the one spelling a Host header carries it: lower case, an IPv6
 * address compressed and in brackets (`::1` -> `[::1]`). Undefined when it is neither (a port, a
 * path, a zone id, an empty string).
 */
export function canonicalHostName(name: string): string | undefined {
  const lower = name.toLowerCase();
  const unbracketed = lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
  if (isIP(unbracketed) === 6) {
    try {
      return new URL(`http://[${unbracketed}]`).hostname;
    } catch {
      return undefined;
    }
  }
  if (unbracketed !== lower) return undefined;
  if (isIP(lower) === 4) return lower;
  return DNS_NAME.test(lower) ? lower : undefined;
}

/** The canonical host name of a `Host` header (`127.0.0.1:3000` -> `127.0.0.1`); undefined if malformed. */
export function hostNameOfHeader(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = HOST_HEADER.exec(header);
  return match ? canonicalHostName(match[1]) : undefined;
}

/** True for a canonical name that is this machine only: `localhost`, 127.0.0.0/8, `[::1]`. */
export function isLoopbackHostName(name: string): boolean {
  return name === 'localhost' || name === '[::1]' || (isIP(name) === 4 && name.startsWith('127.'));
}

/** True for `0.0.0.0` and `[::]`: listening on every interface. */
export function isWildcardAddress(name: string): boolean {
  return WILDCARD_ADDRESSES.includes(name);
}
