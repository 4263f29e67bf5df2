import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation } from '@nestjs/swagger';
import {
  MonitePermission,
  type MoniteAction,
  type MoniteObjectType,
  type MoniteOwnerOption,
} from 'nestjs-monite-auth';

/** What a route says about itself in the OpenAPI document. */
export interface RouteDoc {
  summary: string;
  /** What `allowed_for_own` means on this route. */
  own: string;
  /** Checks the owner of the object in the guard (single objects). */
  owner?: MoniteOwnerOption;
}

/**
 * `@MonitePermission` plus the route's own words for the OpenAPI document. The permission itself
 * (`x-monite-permission`, the owner rule, 401/403/503) is added by `applyMoniteSwagger` from the
 * guard's own metadata, so the docs cannot drift from the guard.
 */
export function RequiresMonitePermission<T extends MoniteObjectType>(
  objectType: T,
  action: MoniteAction<T>,
  doc: RouteDoc,
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    MonitePermission(objectType, action, doc.owner ? { owner: doc.owner } : {}),
    // applyMoniteSwagger adds the permission, the owner rule and 401/403/503 after this description.
    ApiOperation({ summary: doc.summary, description: `With \`allowed_for_own\`: ${doc.own}.` }),
    ApiBearerAuth(),
    ApiCookieAuth(),
  );
}
