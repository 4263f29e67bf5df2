import { jest } from '@jest/globals';
import { Logger, NotFoundException } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { MoniteClient } from '../client/monite.client.js';
import {
  MoniteMalformedResponseError,
  MoniteNotFoundError,
  MoniteUnavailableError,
  MoniteValidationError,
  toMoniteHttpException,
} from '../errors/index.js';
import type { ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import { moniteAsPartner, type MoniteEntityUserRef, type MonitePartnerCaller } from '../monite-identity.js';
import type { MoniteRole, MoniteRoleProvider } from '../monite-role.js';
import { VirtualMoniteClock } from '../testing/virtual-monite-clock.js';
import { systemClock } from '../tokens/monite-clock.js';
import { MoniteRoleLoader, unknownToMonite } from './role-loader.js';

const ENTITY = 'e0000000-0000-4000-8000-000000000001';
const USER: MoniteEntityUserRef = { entityUserId: 'a0000000-0000-4000-8000-00000000000a', entityId: ENTITY };
const READER: MoniteRole = {
  permissions: {
    objects: [{ object_type: 'payable', actions: [{ action_name: 'read', permission: 'allowed' }] }],
  },
};

const options = (over: Partial<ResolvedMoniteAuthOptions>) =>
  ({ securityModel: 'monite-managed', requestTimeoutMs: 500, ...over }) as ResolvedMoniteAuthOptions;
const moduleRefWith = (instance?: object) =>
  ({
    get: () => {
      if (instance === undefined) throw new Error('not registered');
      return instance;
    },
  }) as unknown as ModuleRef;

/** A MoniteClient stand-in: answers `get` with what the test says, recording the calls. */
function clientAnswering(answer: () => Promise<unknown>) {
  const calls: { path: string; options: unknown }[] = [];
  const client = {
    get: (path: string, requestOptions: unknown) => {
      calls.push({ path, options: requestOptions });
      return answer();
    },
  } as unknown as MoniteClient;
  return { client, calls };
}

async function loaderFor(
  over: Partial<ResolvedMoniteAuthOptions>,
  client?: MoniteClient,
  instance?: object,
  clock = systemClock,
) {
  const loader = new MoniteRoleLoader(options(over), moduleRefWith(instance), client, clock);
  await loader.onModuleInit();
  return loader;
}

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('MoniteRoleLoader', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('monite-managed: GET /entity_users/my_role as the user; the partner is never sent there and gets nothing', async () => {
    const { client, calls } = clientAnswering(async () => READER);
    const loader = await loaderFor({}, client);
    expect((await loader.load(USER)).permissionFor('payable', 'read')).toBe('allowed');
    expect(calls).toEqual([{ path: '/entity_users/my_role', options: { user: USER } }]);
    expect((await loader.load(moniteAsPartner(ENTITY))).permissionFor('payable', 'read')).toBe('not_allowed');
    expect(calls).toHaveLength(1);
  });

  it.each([
    [
      'the token grant: a MoniteNotFoundError inside MoniteHttpException',
      () => toMoniteHttpException(new MoniteNotFoundError('Entity user not found', { status: 404 })),
    ],
    ['a bare MoniteNotFoundError', () => new MoniteNotFoundError('Entity user not found')],
    [
      'an HttpException whose cause is one',
      () => new NotFoundException('gone', { cause: new MoniteNotFoundError('x') }),
    ],
  ])(
    'finding "an unknown caller is an outage": %s rejects with the MoniteNotFoundError',
    async (_name, failure) => {
      const { client } = clientAnswering(() => Promise.reject(failure()));
      const loader = await loaderFor({}, client);
      await expect(loader.load(USER)).rejects.toBeInstanceOf(MoniteNotFoundError);
    },
  );

  it('Monite down, 5xx, garbage or a 422 it cannot attribute stays an outage (not "unknown")', async () => {
    for (const failure of [
      toMoniteHttpException(new MoniteUnavailableError('Monite answered 503', { status: 503 })),
      toMoniteHttpException(new MoniteValidationError('field required', { status: 422 })),
      new Error('socket hang up'),
    ]) {
      const { client } = clientAnswering(() => Promise.reject(failure));
      const loader = await loaderFor({}, client);
      const error = await loader.load(USER).catch((e: unknown) => e);
      expect(unknownToMonite(error)).toBeUndefined();
    }
    const { client } = clientAnswering(async () => '<html>502</html>');
    await expect((await loaderFor({}, client)).load(USER)).rejects.toBeInstanceOf(
      MoniteMalformedResponseError,
    );
  });

  it('a function roleProvider gets a frozen, normalised user; it is never asked for the partner', async () => {
    const seen: MoniteEntityUserRef[] = [];
    const roleProvider = (user: MoniteEntityUserRef) => {
      seen.push(user);
      return READER;
    };
    const loader = await loaderFor({ securityModel: 'partner-managed', roleProvider });
    await loader.load(USER);
    expect(seen).toEqual([USER]);
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect((await loader.load(moniteAsPartner(ENTITY))).permissionFor('payable', 'read')).toBe('not_allowed');
    expect(seen).toHaveLength(1);
  });

  it('a class roleProvider: getRole for entity users, getPartnerRole for the partner', async () => {
    const asked: string[] = [];
    class Acl implements MoniteRoleProvider {
      getRole(user: MoniteEntityUserRef) {
        asked.push(`user ${user.entityUserId}`);
        return { permissions: { objects: [] } };
      }
      getPartnerRole(partner: MonitePartnerCaller) {
        asked.push(`partner ${partner.entityId} ${partner.partner}`);
        return READER;
      }
    }
    const loader = await loaderFor({ securityModel: 'hybrid', roleProvider: Acl }, undefined, new Acl());
    expect((await loader.load(moniteAsPartner(ENTITY))).permissionFor('payable', 'read')).toBe('allowed');
    expect((await loader.load(USER)).permissionFor('payable', 'read')).toBe('not_allowed');
    expect(asked).toEqual([`partner ${ENTITY} true`, `user ${USER.entityUserId}`]);
  });

  it('a role that does not arrive within requestTimeoutMs (on the injected clock) is unavailable', async () => {
    const clock = new VirtualMoniteClock();
    const loader = await loaderFor(
      { securityModel: 'partner-managed', roleProvider: () => new Promise<MoniteRole>(() => undefined) },
      undefined,
      undefined,
      clock,
    );
    await expect(loader.load(USER)).rejects.toThrow(
      new MoniteUnavailableError('The role did not load within 500 ms'),
    );
    expect(clock.sleeps).toEqual([500]);
  });

  it('leaves no timer behind once the role has arrived', async () => {
    const loader = await loaderFor({
      securityModel: 'partner-managed',
      roleProvider: async () => READER,
      requestTimeoutMs: 60_000,
    });
    const before = timers();
    await Promise.all(Array.from({ length: 20 }, () => loader.load(USER)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(timers()).toBe(before);
  });
});
