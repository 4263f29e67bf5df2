import { createHash } from 'node:crypto';

/** Everything that makes two token requests interchangeable, except the grant and the user. */
export interface TokenKeyScope {
  /** The token endpoint (base URL and path). */
  tokenUrl: string;
  clientId: string;
  apiVersion: string;
  /** Wire profile; a token from another provider is never served for this one. */
  profile: string;
  /** OAuth2 scopes; tokens of different scopes are different tokens. */
  scope: readonly string[];
}

const KEY_PREFIX = 'monite-token:';
const USER_SEGMENT = ':user:';

/**
 * Builds store keys: `monite-token:<scope hash>:partner` and `monite-token:<scope hash>:user:<id>`.
 * The scope (endpoint, client id, API version, profile, scopes) is hashed: keys stay short with
 * 100k users, carry no URL into a shared store, and no field can forge a delimiter. The secret is
 * never part of a key.
 */
export class TokenCacheKeys {
  private readonly prefix: string;

  constructor(scope: TokenKeyScope) {
    const material = JSON.stringify([
      scope.tokenUrl,
      scope.clientId,
      scope.apiVersion,
      scope.profile,
      [...scope.scope].sort(),
    ]);
    this.prefix = KEY_PREFIX + createHash('sha256').update(material).digest('base64url').slice(0, 22);
  }

  /** Key of the partner token (`client_credentials`). */
  partner(): string {
    return `${this.prefix}:partner`;
  }

  /** Key of one entity user's token; the id is expected to be a validated UUID (case-folded here). */
  entityUser(entityUserId: string): string {
    return `${this.prefix}${USER_SEGMENT}${entityUserId.toLowerCase()}`;
  }
}

/** Whether a key built by {@link TokenCacheKeys} holds an entity-user token. */
export function isEntityUserKey(key: string): boolean {
  return key.startsWith(KEY_PREFIX) && key.includes(USER_SEGMENT);
}

/** The entity user id of an entity-user key, `undefined` for any other key. */
export function entityUserIdOfKey(key: string): string | undefined {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  const at = key.indexOf(USER_SEGMENT);
  return at === -1 ? undefined : key.slice(at + USER_SEGMENT.length);
}
