/*
 * Checklist 42, the review's own findings, as it confirmed them on the built package: the token
 * service and the options provider, inspected and serialised the way anyone debugging an app would.
 * (The canary suite beside this file hunts the whole class in every configuration.)
 */
import { inspect } from 'node:util';
import type { MoniteEmulator } from 'monite-emulator';
import { ModulesContainer } from '@nestjs/core';
import { Test, type TestingModule } from '@nestjs/testing';
import { MONITE_AUTH_MODULE_OPTIONS, MoniteAuthModule, MoniteTokenService } from 'nestjs-monite-auth';
import { secretForms } from '../support/leak-ledger.js';
import { CANARY_SECRET, CLIENT_ID, startEmulator, userId } from '../tokens/token-test-kit.js';
import { CanaryLog } from './canary-kit.js';

const LOOKS = [
  (value: unknown) => inspect(value),
  (value: unknown) => inspect(value, { depth: Infinity, showHidden: true, getters: true }),
  (value: unknown) => JSON.stringify(value) ?? '',
  (value: unknown) => String(value),
];

describe('42: the review’s findings', () => {
  let emulator: MoniteEmulator;

  beforeAll(async () => {
    emulator = await startEmulator(3);
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('42: util.inspect and JSON.stringify of MoniteTokenService (and the endpoint client) show no client secret or token (review finding)', async () => {
    // Before: the endpoint client kept the secret's forms in an ordinary property.
    const harness = await boot(emulator);
    try {
      const tokens = [
        await harness.tokens.getPartnerToken(),
        await harness.tokens.getEntityUserToken(userId(1)),
      ];
      const secrets = [...secretForms(CLIENT_ID, CANARY_SECRET), ...tokens.map((token) => token.accessToken)];
      const endpoint = providerNamed(harness.module, 'TokenEndpointClient');
      expect(endpoint).toBeDefined();
      for (const value of [harness.module.get(MoniteTokenService), endpoint]) {
        for (const look of LOOKS) {
          const rendered = look(value);
          for (const secret of secrets) expect(rendered).not.toContain(secret);
        }
      }
    } finally {
      await harness.close();
    }
  });

  it('42: the MONITE_AUTH_MODULE_OPTIONS provider holds no client secret (review finding)', async () => {
    // Before: it held the app's options object, clientSecret in clear.
    const harness = await boot(emulator);
    try {
      const options = harness.module.get(MONITE_AUTH_MODULE_OPTIONS);
      expect(options).toMatchObject({ clientId: CLIENT_ID });
      for (const look of LOOKS) {
        const rendered = look(options);
        for (const secret of secretForms(CLIENT_ID, CANARY_SECRET)) expect(rendered).not.toContain(secret);
      }
    } finally {
      await harness.close();
    }
  });
});

/**
 * The module as an app boots it, with a logger that holds no secret of its own (a Nest `Logger`
 * instance leads to the app's logger, so a test's leak ledger would be found there).
 */
async function boot(emulator: MoniteEmulator) {
  const module = await Test.createTestingModule({
    imports: [
      MoniteAuthModule.forRoot({ clientId: CLIENT_ID, clientSecret: CANARY_SECRET, apiUrl: emulator.url }),
    ],
  })
    .setLogger(new CanaryLog())
    .compile();
  await module.init();
  return { module, tokens: module.get(MoniteTokenService), close: () => module.close() };
}

/** A provider instance of the module by its class name (for classes the public API does not export). */
function providerNamed(module: TestingModule, name: string): unknown {
  for (const host of module.get(ModulesContainer).values()) {
    for (const wrapper of host.providers.values()) {
      if ((wrapper.instance as object | undefined)?.constructor?.name === name) return wrapper.instance;
    }
  }
  return undefined;
}
