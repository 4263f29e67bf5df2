import { MonitePermissionError, MoniteValidationError } from '../errors/index.js';
import { isMonitePartner, normalizeMoniteId, readMoniteCaller } from '../monite-identity.js';
import type { MoniteSecurityModel } from '../monite-auth.options.js';
import type { MoniteAccessToken } from '../tokens/monite-access-token.js';
import type { MoniteTokenService } from '../tokens/monite-token.service.js';
import type { MoniteRequestOptions } from './monite-request-options.js';

/** Who a call acts for, read from its options with normalised (lower-case) ids. */
export type MoniteCallTarget =
  | { readonly kind: 'entity_user'; readonly entityUserId: string; readonly entityId: string }
  | { readonly kind: 'partner'; readonly entityId?: string };

/** The token a call is made with and the entity it names (`x-monite-entity-id`). */
export interface MoniteCallCredentials {
  readonly token: MoniteAccessToken;
  readonly entityId?: string;
  /** The entity user whose own token this is; `undefined` for the partner token. */
  readonly entityUserId?: string;
}

/**
 * Reads `user`, `asPartner` and `entityId`, before anything is sent. A shape that cannot be a
 * caller, or a partner call the monite-managed model was not told about, is a programming error
 * (`TypeError`); an id that is not a UUID is bad data (`MoniteValidationError`, never quoted); a
 * user's call naming another entity is refused (`MonitePermissionError`).
 */
export function readCallTarget(
  options: Pick<MoniteRequestOptions, 'user' | 'asPartner' | 'entityId'>,
  securityModel: MoniteSecurityModel,
): MoniteCallTarget {
  const entityId = readEntityIdOption(options.entityId);
  if (options.user === undefined) {
    if (securityModel === 'monite-managed' && options.asPartner !== true) {
      throw new TypeError(
        'nestjs-monite-auth: MoniteClient call without a user: pass { user } to act for an entity user, ' +
          'or { asPartner: true } (or user: moniteAsPartner(entityId)) to use the partner token',
      );
    }
    return { kind: 'partner', entityId };
  }
  const reading = readMoniteCaller(options.user);
  if (reading.problem === 'invalid_id') {
    throw new MoniteValidationError('nestjs-monite-auth: MoniteClient: the user ids must be UUIDs');
  }
  if (reading.caller === undefined) {
    throw new TypeError(
      'nestjs-monite-auth: MoniteClient: options.user must be { entityUserId, entityId } or moniteAsPartner(entityId)',
    );
  }
  const { caller } = reading;
  if (entityId !== undefined && entityId !== caller.entityId) {
    // Never let a call for one caller reach into another entity, whatever token it is made with.
    throw new MonitePermissionError("A call for a caller may only target the caller's own entity", {
      moniteMessage: 'Cross-entity access is not allowed',
    });
  }
  if (isMonitePartner(caller)) return { kind: 'partner', entityId: caller.entityId };
  if (options.asPartner === true) {
    throw new TypeError('nestjs-monite-auth: MoniteClient: asPartner and an entity user exclude each other');
  }
  return { kind: 'entity_user', entityUserId: caller.entityUserId, entityId: caller.entityId };
}

/**
 * The token for the target and the security model (DESIGN.md "Security models"): the user's own
 * token in the monite-managed and hybrid models, the partner token scoped to the user's entity in
 * the partner-managed model, and the partner token for the partner.
 */
export async function fetchCallCredentials(
  target: MoniteCallTarget,
  securityModel: MoniteSecurityModel,
  tokens: MoniteTokenService,
): Promise<MoniteCallCredentials> {
  if (target.kind === 'partner' || securityModel === 'partner-managed') {
    return { token: await tokens.getPartnerToken(), entityId: target.entityId };
  }
  const { entityUserId, entityId } = target;
  // The entity lets `invalidateEntity` find this user's token.
  return { token: await tokens.getEntityUserToken(entityUserId, { entityId }), entityId, entityUserId };
}

function readEntityIdOption(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const entityId = normalizeMoniteId(value);
  if (entityId === undefined) {
    throw new MoniteValidationError('nestjs-monite-auth: MoniteClient: options.entityId must be a UUID');
  }
  return entityId;
}
