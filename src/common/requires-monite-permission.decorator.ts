import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiExtension,
  ApiForbiddenResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
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
 * `@MonitePermission` plus its documentation: the OpenAPI operation names the Monite permission
 * (in the description and as `x-monite-permission`), so the docs cannot drift from the guard.
 */
export function RequiresMonitePermission<T extends MoniteObjectType>(
  objectType: T,
  action: MoniteAction<T>,
  doc: RouteDoc,
): MethodDecorator & ClassDecorator {
  const permission = `${objectType}.${String(action)}`;
  return applyDecorators(
    MonitePermission(objectType, action, doc.owner ? { owner: doc.owner } : {}),
    ApiOperation({
      summary: doc.summary,
      description:
        `Requires Monite permission \`${permission}\`. ` +
        `\`allowed\`: any object of your entity. \`allowed_for_own\`: ${doc.own}. ` +
        '`not_allowed` or no entry in your role: 403.',
    }),
    ApiExtension('x-monite-permission', permission),
    ApiBearerAuth(),
    ApiCookieAuth(),
    ApiUnauthorizedResponse({ description: 'Not logged in (no or an ended session)' }),
    ApiForbiddenResponse({ description: `Your Monite role does not grant ${permission} here` }),
    ApiServiceUnavailableResponse({ description: 'Monite (or your role in it) is unavailable' }),
  );
}
