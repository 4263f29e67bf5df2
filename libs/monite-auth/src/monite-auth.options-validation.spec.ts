import { inspect } from 'node:util';
import fc from 'fast-check';
import { MoniteConfigurationError } from './errors/index.js';
import { MoniteAuthModule } from './monite-auth.module.js';
import { MONITE_AUTH_MODULE_OPTIONS } from './monite-auth.module-definition.js';
import { sealMoniteAuthOptions, unsealMoniteAuthOptions } from './monite-auth.options-sealing.js';
import { checkUrl, isLoopbackHost, resolveMoniteAuthOptions } from './monite-auth.options-validation.js';
import { MONITE_AUTH_DEFAULTS } from './monite-auth.options.js';

const SECRET = 'validation-secret-Zq9+/:=';
const good = { clientId: 'client-1', clientSecret: SECRET, apiUrl: 'http://127.0.0.1:4010/v1' };
const REVEALING = { depth: Infinity, showHidden: true, getters: true, customInspect: false } as const;

function configurationError(options: unknown): MoniteConfigurationError {
  try {
    resolveMoniteAuthOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(MoniteConfigurationError);
    return error as MoniteConfigurationError;
  }
  throw new Error('expected a configuration error');
}

describe('resolveMoniteAuthOptions', () => {
  it('fills every default', () => {
    const resolved = resolveMoniteAuthOptions({ clientId: 'c', clientSecret: 's' });
    expect(resolved).toMatchObject({
      apiUrl: 'https://api.sandbox.monite.com/v1',
      apiVersion: MONITE_AUTH_DEFAULTS.apiVersion,
      securityModel: 'monite-managed',
      tokenRefreshSkewMs: 60_000,
      entityUserTokenCacheMax: 10_000,
      requestTimeoutMs: 10_000,
      maxConcurrentTokenRequests: 8,
      retry: MONITE_AUTH_DEFAULTS.retry,
      tokenEndpoint: {
        profile: 'monite',
        url: 'https://api.sandbox.monite.com/v1/auth/token',
        credentials: 'body',
        scope: [],
      },
      revokeUrl: 'https://api.sandbox.monite.com/v1/auth/revoke',
    });
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing clientId', { clientId: undefined }, 'clientId'],
    ['an empty clientSecret', { clientSecret: '' }, 'clientSecret'],
    ['an unknown environment', { apiUrl: undefined, environment: 'moon' }, 'environment'],
    ['plain http off loopback', { apiUrl: 'http://monite.example.com/v1' }, 'apiUrl'],
    ['credentials in the URL', { apiUrl: 'https://u:p@api.monite.com/v1' }, 'apiUrl'],
    ['a malformed apiVersion', { apiVersion: '2024-13-40' }, 'apiVersion'],
    ['a negative skew', { tokenRefreshSkewMs: -1 }, 'tokenRefreshSkewMs'],
    ['a zero timeout', { requestTimeoutMs: 0 }, 'requestTimeoutMs'],
    ['too many concurrent requests', { maxConcurrentTokenRequests: 5_000 }, 'maxConcurrentTokenRequests'],
    ['maxRetries over 10', { retry: { maxRetries: 11 } }, 'retry.maxRetries'],
    ['maxDelayMs below baseDelayMs', { retry: { baseDelayMs: 500, maxDelayMs: 100 } }, 'retry.maxDelayMs'],
    ['a scope with the monite profile', { tokenEndpoint: { scope: 'x' } }, 'tokenEndpoint.scope'],
    ['a scope with a quote', { tokenEndpoint: { profile: 'oauth2', scope: 'a"b' } }, 'tokenEndpoint.scope'],
    [
      'a roleProvider with monite-managed',
      { roleProvider: () => ({ permissions: { objects: [] } }) },
      'roleProvider',
    ],
    ['partner-managed without a roleProvider', { securityModel: 'partner-managed' }, 'roleProvider'],
    ['a store without deleteToken', { tokenStore: { get() {}, set() {}, delete() {} } }, 'tokenStore'],
    ['a hook that is not a function', { hooks: { onTokenFetched: 1 } }, 'hooks.onTokenFetched'],
    ['a misspelt option', { clientSecrt: SECRET }, 'clientSecrt'],
  ])('%s fails naming "%s"', (_name, overrides, option) => {
    const error = configurationError({ ...good, ...overrides });
    expect(error.message).toContain(`option "${option}"`);
  });

  it('a value that is not an options object is refused', () => {
    expect(configurationError(undefined).message).toMatch(/options must be an object/);
  });

  it('42: no message ever quotes a value, whatever is put where (property)', () => {
    const options = Object.keys(resolveMoniteAuthOptions(good)).filter((key) => key !== 'credentials');
    fc.assert(
      fc.property(
        fc.constantFrom(...options, 'retry.maxRetries', 'hooks.onTokenFailed', 'unknownOption'),
        (path) => {
          const [head, tail] = path.split('.');
          const options =
            tail === undefined ? { ...good, [head!]: SECRET } : { ...good, [head!]: { [tail]: SECRET } };
          let rendered = '';
          try {
            resolveMoniteAuthOptions(options);
          } catch (error) {
            rendered = `${(error as Error).message} ${JSON.stringify(error)} ${inspect(error, REVEALING)}`;
          }
          expect(rendered).not.toContain(SECRET);
        },
      ),
    );
  });

  it('42: the resolved options show no secret when inspected or serialised; the credentials hold it', () => {
    const resolved = resolveMoniteAuthOptions(good);
    for (const rendered of [inspect(resolved, REVEALING), JSON.stringify(resolved), String(resolved)]) {
      expect(rendered).not.toContain(SECRET);
    }
    expect(resolved.credentials.revealSecret()).toBe(SECRET);
    expect(resolved.credentials.clientId).toBe('client-1');
    expect(resolved).not.toHaveProperty('clientSecret');
  });

  it('checkUrl and isLoopbackHost', () => {
    expect(checkUrl('https://api.monite.com/v1')).toBeUndefined();
    expect(checkUrl('ftp://x')).toBe('must be an https URL');
    expect(checkUrl('http://localhost:1/v1')).toBeUndefined();
    expect(isLoopbackHost('127.9.9.9')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });
});

describe('the options provider holds sealed options', () => {
  it('42: forRoot: MONITE_AUTH_MODULE_OPTIONS holds every option but the secret (review finding)', () => {
    // Before: the provider held the app's options object with clientSecret in clear.
    const definition = MoniteAuthModule.forRoot({ ...good, isGlobal: true });
    const provider = definition.providers!.find(
      (candidate) =>
        typeof candidate === 'object' &&
        'provide' in candidate &&
        candidate.provide === MONITE_AUTH_MODULE_OPTIONS,
    ) as { useValue: Record<string, unknown> };
    expect(definition.global).toBe(true);
    expect(provider.useValue).toMatchObject({ clientId: 'client-1', apiUrl: good.apiUrl });
    for (const rendered of [
      inspect(definition, REVEALING),
      JSON.stringify(provider.useValue),
      String(provider.useValue),
    ]) {
      expect(rendered).not.toContain(SECRET);
    }
    expect(resolveMoniteAuthOptions(provider.useValue).credentials.revealSecret()).toBe(SECRET);
  });

  it('42: forRootAsync: the factory’s result is sealed before Nest keeps it (sync or async)', async () => {
    for (const useFactory of [() => good, async () => good]) {
      const definition = MoniteAuthModule.forRootAsync({ useFactory });
      const provider = definition.providers!.find(
        (candidate) =>
          typeof candidate === 'object' &&
          'provide' in candidate &&
          candidate.provide === MONITE_AUTH_MODULE_OPTIONS,
      ) as { useFactory: () => unknown };
      const sealed = await provider.useFactory();
      expect(inspect(sealed, REVEALING)).not.toContain(SECRET);
      expect(unsealMoniteAuthOptions(sealed)).toEqual(good);
    }
  });

  it('sealing leaves a non-object for validation to name, and is idempotent', () => {
    expect(sealMoniteAuthOptions(undefined)).toBeUndefined();
    const sealed = sealMoniteAuthOptions(good);
    expect(sealMoniteAuthOptions(sealed)).toBe(sealed);
    expect(Object.isFrozen(sealed)).toBe(true);
  });
});
