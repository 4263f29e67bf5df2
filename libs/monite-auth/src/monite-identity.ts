import { Logger } from '@nestjs/common';

/*
 * Who a request or a call to Monite acts for, in one neutral file every layer may import: an entity
 * user, or the partner itself acting on one entity. Ids are UUIDs, compared case-insensitively: every
 * entry point normalises them here, with `normalizeMoniteId`, so one identity has one spelling.
 */

/** Which token Monite issues: the partner's (`client_credentials`) or an entity user's. */
export type MoniteTokenGrant = 'client_credentials' | 'entity_user';

/** Identifies the entity user a request acts for. */
export interface MoniteEntityUserRef {
  entityUserId: string;
  entityId: string;
}

/**
 * The partner itself acting on one entity with the partner token (a back-office job, a webhook
 * handler): not an entity user, so it owns nothing and has no Monite role. Make one with
 * `moniteAsPartner(entityId)`.
 */
export interface MonitePartnerCaller {
  readonly partner: true;
  readonly entityId: string;
}

/** Whoever a request acts for: an entity user, or the partner on one entity. */
export type MoniteCaller = MoniteEntityUserRef | MonitePartnerCaller;

/** The partner acting on `entityId` (for `resolveEntityUser` and `MoniteClient` calls). */
export function moniteAsPartner(entityId: string): MonitePartnerCaller {
  return Object.freeze({ partner: true, entityId });
}

/** Whether the caller is the partner rather than an entity user. */
export function isMonitePartner(caller: MoniteCaller | undefined): caller is MonitePartnerCaller {
  return (caller as Partial<MonitePartnerCaller> | undefined)?.partner === true;
}

/**
 * The canonical spelling of a Monite id (a UUID): lower case. `undefined` for anything that is not
 * a UUID string. Hand-written rather than a regular expression: it runs on every guarded request.
 */
export function normalizeMoniteId(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length !== 36) return undefined;
  let upper = false;
  for (let i = 0; i < 36; i++) {
    const code = value.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 45 /* - */) return undefined;
    } else if ((code >= 48 && code <= 57) || (code >= 97 && code <= 102)) {
      // 0-9, a-f
    } else if (code >= 65 && code <= 70) {
      upper = true; // A-F
    } else {
      return undefined;
    }
  }
  return upper ? value.toLowerCase() : value;
}

/** What `readMoniteCaller` made of a value: a caller, or why there is none. */
export type MoniteCallerReading =
  | { readonly caller: MoniteCaller; readonly problem?: undefined }
  /** `no_user`: nothing (or not an object); `invalid_id`: an id that is not a UUID. */
  | { readonly caller?: undefined; readonly problem: 'no_user' | 'invalid_id' };

const NO_USER: MoniteCallerReading = Object.freeze({ problem: 'no_user' as const });
const INVALID_ID: MoniteCallerReading = Object.freeze({ problem: 'invalid_id' as const });
const logger = new Logger('MoniteAuth');
let deprecationWarned = false;

/**
 * Tells `readMoniteCaller` that a pair of ids is spelled canonically already, because it is exactly
 * a pair `normalizeMoniteId` gave before (e.g. the key of a cached role), so it need not be scanned.
 * Must only answer true for such ids.
 */
export type MoniteCanonicalIds = (entityUserId: string, entityId: string) => boolean;

/**
 * Reads what `resolveEntityUser` (or a caller of `MoniteClient`) gave: a fresh caller with
 * normalised ids, never the given object itself. The deprecated partner form
 * `{ entityUserId: '', entityId }` still reads as the partner, with a one-time warning.
 * `known` lets a hot path skip the scan of ids it has seen normalised (the guard: a cached role's).
 */
export function readMoniteCaller(value: unknown, known?: MoniteCanonicalIds): MoniteCallerReading {
  if (typeof value !== 'object' || value === null) return NO_USER;
  const raw = value as { entityUserId?: unknown; entityId?: unknown; partner?: unknown };
  if (
    known !== undefined &&
    raw.partner === undefined &&
    typeof raw.entityUserId === 'string' &&
    typeof raw.entityId === 'string' &&
    known(raw.entityUserId, raw.entityId)
  ) {
    return { caller: { entityUserId: raw.entityUserId, entityId: raw.entityId } };
  }
  const entityId = normalizeMoniteId(raw.entityId);
  if (entityId === undefined) return raw.entityId === undefined ? NO_USER : INVALID_ID;
  if (raw.partner === true) return { caller: moniteAsPartner(entityId) };
  if (raw.entityUserId === '') {
    warnDeprecatedPartnerForm();
    return { caller: moniteAsPartner(entityId) };
  }
  const entityUserId = normalizeMoniteId(raw.entityUserId);
  if (entityUserId === undefined) return raw.entityUserId === undefined ? NO_USER : INVALID_ID;
  return { caller: { entityUserId, entityId } };
}

function warnDeprecatedPartnerForm(): void {
  if (deprecationWarned) return;
  deprecationWarned = true;
  logger.warn(
    "{ entityUserId: '' } as the partner caller is deprecated: return moniteAsPartner(entityId) instead",
  );
}
