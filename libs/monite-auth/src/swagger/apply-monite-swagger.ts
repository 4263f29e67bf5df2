import { Logger, type INestApplicationContext } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { ApiExtension, ApiResponse, DECORATORS } from '@nestjs/swagger';
import { MoniteRoutePolicies, type MoniteOwnerOption, type MoniteRouteRequirement } from '../index.js';
import { describePermission, GUARD_ERROR_SCHEMA, guardResponses } from './permission-docs.js';

/** The OpenAPI extension that names an operation's Monite permission, e.g. `payable.approve`. */
const PERMISSION_EXTENSION = 'x-monite-permission';

/** What was written on a handler: a handler inherited by several controllers is documented once. */
interface Documented {
  permission: string;
  owner?: MoniteOwnerOption;
}

const documented = new WeakMap<Function, Documented>();
const logger = new Logger('MoniteSwagger');

/**
 * Puts the guard's rules into the app's OpenAPI document. Every controller route that
 * `@MonitePermission` guards (on the handler or its class, read the way `MonitePermissionGuard`
 * reads them) gets an `x-monite-permission` extension, its permission and owner rule in the
 * description (after the app's own), and the guard's 401, 403 and 503 responses (a status the
 * route already documents is left as it is). `@MonitePublic()` routes get nothing.
 *
 * Call it once the app is created and before `SwaggerModule.createDocument(app, config)`. The
 * metadata is written with @nestjs/swagger's own decorators on the handlers, so calling it again,
 * or for a second app with the same controllers, adds nothing.
 */
export function applyMoniteSwagger(app: INestApplicationContext): void {
  // Built over the app's container, so the app needs no DiscoveryModule import.
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  // The guard's own reading of a route (handler before class; public or a requirement).
  const policies = new MoniteRoutePolicies(reflector);
  for (const wrapper of discovery.getControllers()) {
    const type = wrapper.metatype;
    if (typeof type !== 'function') continue;
    const prototype = type.prototype as Record<string, unknown>;
    for (const method of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[method];
      if (typeof handler !== 'function') continue;
      const { requirement } = policies.get(type, handler);
      if (requirement !== undefined) document(reflector, handler, requirement, `${type.name}.${method}`);
    }
  }
}

function document(
  reflector: Reflector,
  handler: Function,
  requirement: MoniteRouteRequirement,
  where: string,
): void {
  const permission = requirement.name;
  const previous = documented.get(handler);
  if (previous !== undefined) {
    // OpenAPI metadata lives on the handler function: one inherited by controllers with different
    // requirements cannot describe both, so the first one stays and the conflict is reported.
    if (previous.permission !== permission || previous.owner !== requirement.owner) {
      logger.warn(
        `${where} shares its handler with a controller guarded otherwise: documented as ` +
          `${rule(previous.permission, previous.owner)}, not ${rule(permission, requirement.owner)}; ` +
          'give it a handler of its own',
      );
    }
    return;
  }
  documented.set(handler, { permission, owner: requirement.owner });

  const operation = (reflector.get<Record<string, unknown> | undefined>(DECORATORS.API_OPERATION, handler) ??
    {}) as { description?: string };
  const description = [operation.description, describePermission(requirement)].filter(Boolean).join('\n\n');
  // Set through the key, not ApiOperation(): that decorator would add an empty summary.
  Reflect.defineMetadata(DECORATORS.API_OPERATION, { ...operation, description }, handler);

  const descriptor: PropertyDescriptor = { value: handler };
  ApiExtension(PERMISSION_EXTENSION, permission)(handler, handler.name, descriptor);
  const responses =
    reflector.get<Record<string, unknown> | undefined>(DECORATORS.API_RESPONSE, handler) ?? {};
  for (const response of guardResponses(requirement)) {
    if (responses[response.status] !== undefined) continue;
    ApiResponse({ ...response, schema: structuredClone(GUARD_ERROR_SCHEMA) })(
      handler,
      handler.name,
      descriptor,
    );
  }
}

/** A requirement in a log line: `payable.read`, with its owner check if it has one. */
function rule(permission: string, owner: MoniteOwnerOption | undefined): string {
  return owner === undefined ? permission : `${permission} (owner ${owner.name || 'checked'})`;
}
