import { createHmac, timingSafeEqual } from 'node:crypto';
import { normalizeMoniteId } from '../monite-identity.js';
import type { MoniteInvalidation } from '../tokens/monite-invalidations.js';
import type { SealingKey, SealingKeyring } from './sealing-keys.js';

/** What travels on the channel besides the invalidation: who sent it, once, and when. */
export interface InvalidationEnvelope {
  /** The sending store instance (a store ignores its own messages). */
  sender: string;
  /** Random per message: a replayed message is dropped. */
  nonce: string;
  /** Sender's wall clock, epoch ms: a message older than the replay window is dropped. */
  sentAt: number;
  invalidation: MoniteInvalidation;
}

const VERSION = 'm1';

/**
 * `m1.<key id>.<base64url(JSON)>.<base64url(HMAC-SHA256)>`, the MAC under a key derived from the
 * sealing key: someone who can publish on Redis but holds no key cannot make every replica drop
 * its caches. The message names a user or an entity, never a token.
 */
export function signInvalidation(key: SealingKey, envelope: InvalidationEnvelope): string {
  const payload = Buffer.from(
    JSON.stringify({ s: envelope.sender, n: envelope.nonce, t: envelope.sentAt, i: envelope.invalidation }),
  ).toString('base64url');
  const signed = `${VERSION}.${key.id}.${payload}`;
  return `${signed}.${mac(key, signed)}`;
}

/** The envelope of an authentic, well-formed message; `undefined` for anything else. */
export function verifyInvalidation(keys: SealingKeyring, message: string): InvalidationEnvelope | undefined {
  const parts = message.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) return undefined;
  const key = keys.byId(parts[1]!);
  if (key === undefined) return undefined;
  const signed = parts.slice(0, 3).join('.');
  const expected = Buffer.from(mac(key, signed));
  const given = Buffer.from(parts[3]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const { s, n, t, i } = JSON.parse(Buffer.from(parts[2]!, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const invalidation = readInvalidation(i);
    if (
      typeof s !== 'string' ||
      typeof n !== 'string' ||
      typeof t !== 'number' ||
      invalidation === undefined
    ) {
      return undefined;
    }
    return { sender: s, nonce: n, sentAt: t, invalidation };
  } catch {
    return undefined;
  }
}

/** A fresh, normalised invalidation from untrusted input, or `undefined`. */
export function readInvalidation(value: unknown): MoniteInvalidation | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, entityUserId, entityId } = value as Record<string, unknown>;
  if (kind === 'all') return { kind: 'all' };
  if (kind === 'entity_user') {
    const id = normalizeMoniteId(entityUserId);
    return id === undefined ? undefined : { kind: 'entity_user', entityUserId: id };
  }
  if (kind === 'entity') {
    const id = normalizeMoniteId(entityId);
    return id === undefined ? undefined : { kind: 'entity', entityId: id };
  }
  return undefined;
}

function mac(key: SealingKey, signed: string): string {
  return createHmac('sha256', key.messageKey).update(signed).digest('base64url');
}
