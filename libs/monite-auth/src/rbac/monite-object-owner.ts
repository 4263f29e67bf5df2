import {
  BadRequestException,
  HttpException,
  Injectable,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { MoniteClient } from '../client/monite.client.js';
import {
  MoniteAuthError,
  MoniteNotFoundError,
  MonitePermissionError,
  MoniteUnavailableError,
} from '../errors/index.js';
import { normalizeMoniteId } from '../monite-identity.js';
import type { MoniteAccessDecision } from './monite-access.decorator.js';
import { MONITE_OBJECT_CREATORS, type MoniteOwnedObjectType } from './object-creator-fields.js';
import { objectIdOf, objectIdSourceOf } from './monite-transport-arguments.js';
import type { MoniteOwner, MoniteOwnerResolver } from './owner-resolver.js';

/** Options of `fromMoniteObject`. */
export interface MoniteObjectOwnerOptions {
  /**
   * Where the object's id is: the route parameter (HTTP), the field argument (GraphQL) or the
   * message field (WebSocket and RPC message bodies) of this name. Default `id`.
   */
  param?: string;
}

/**
 * The built-in owner resolver: loads the object named by a route parameter (a GraphQL argument, a
 * message field: `getObjectId`) from Monite and reads the field in which Monite records its creator
 * (`MONITE_OBJECT_CREATORS`). It calls Monite with the partner token scoped to the caller's entity
 * (`x-monite-entity-id`), because a caller allowed only its own objects may not be allowed to read
 * another's, and the guard must still tell the two apart.
 *
 * The object is loaded once per request and left on `access.object` for the handler.
 * A parameter that is not a UUID is a 400 before any call; an object Monite does not find (404) or
 * will not show (403/409) has an unknown owner, which the guard denies (403); any other failure
 * (Monite down) makes the guard answer 503.
 *
 * Use `fromMoniteObject('payable', { param: 'id' })`, or extend it to read the id elsewhere.
 */
@Injectable()
export abstract class MoniteObjectOwner implements MoniteOwnerResolver {
  /** Which kind of object the route acts on. */
  protected abstract readonly objectType: MoniteOwnedObjectType;
  /** Route parameter, GraphQL argument or message field holding the id. */
  protected readonly param: string = 'id';

  constructor(protected readonly client: MoniteClient) {}

  async resolveOwner(context: ExecutionContext, access: MoniteAccessDecision): Promise<MoniteOwner> {
    // Monite ids are UUIDs; anything else never reaches Monite (no path tricks, no wasted call).
    const id = normalizeMoniteId(this.getObjectId(context));
    if (id === undefined) {
      throw new BadRequestException(
        `${objectIdSourceOf(context)} ${this.param} must be a ${this.objectType} id (a UUID)`,
      );
    }
    const { path, creatorField } = MONITE_OBJECT_CREATORS[this.objectType];
    let object: unknown;
    try {
      object = await this.client.get(`${path}/{id}`, {
        params: { id },
        entityId: access.user.entityId,
        asPartner: true,
      });
    } catch (error) {
      if (isNotVisible(error)) return undefined;
      // Anything else (Monite down, our credentials refused) must not reach the caller as its own
      // HTTP status: the guard turns this into a 503.
      throw new MoniteUnavailableError(`Could not load ${this.objectType} ${id} to find its owner`);
    }
    access.object = object;
    const owner =
      typeof object === 'object' && object !== null
        ? (object as Record<string, unknown>)[creatorField]
        : undefined;
    // Compared with the caller in one spelling: Monite's ids may come in any letter case.
    return normalizeMoniteId(owner);
  }

  /**
   * The object's id: the route parameter `param` (Express and Fastify alike), the GraphQL field's
   * argument, or the field of a WebSocket or RPC message body. Override to read it elsewhere.
   */
  protected getObjectId(context: ExecutionContext): unknown {
    return objectIdOf(context, this.param);
  }
}

/** Monite does not have the object, or will not show it: its owner is unknown. */
function isNotVisible(error: unknown): boolean {
  const cause = error instanceof HttpException ? error.cause : error;
  if (cause instanceof MoniteNotFoundError || cause instanceof MonitePermissionError) return true;
  if (cause instanceof MoniteAuthError) return false;
  const status = error instanceof HttpException ? error.getStatus() : undefined;
  return status === 403 || status === 404 || status === 409;
}

const classes = new Map<string, Type<MoniteOwnerResolver>>();

/**
 * An owner resolver class for `@MonitePermission(..., { owner })` that reads the creator of the
 * Monite object named by a route parameter (GraphQL argument, message field). The same arguments
 * give the same class, so it is resolved once for the app.
 *
 * ```ts
 * @Post(':id/approve')
 * @MonitePermission('payable', 'approve', { owner: fromMoniteObject('payable', { param: 'id' }) })
 * ```
 */
export function fromMoniteObject(
  objectType: MoniteOwnedObjectType,
  options: MoniteObjectOwnerOptions = {},
): Type<MoniteOwnerResolver> {
  const param = options.param ?? 'id';
  const key = `${objectType}:${param}`;
  let type = classes.get(key);
  if (type === undefined) {
    @Injectable()
    class OwnerFromMoniteObject extends MoniteObjectOwner {
      protected readonly objectType = objectType;
      protected override readonly param = param;
    }
    // A readable name in errors and Nest's logs, e.g. MoniteObjectOwner(payable:id).
    Object.defineProperty(OwnerFromMoniteObject, 'name', { value: `MoniteObjectOwner(${key})` });
    type = OwnerFromMoniteObject;
    classes.set(key, type);
  }
  return type;
}
