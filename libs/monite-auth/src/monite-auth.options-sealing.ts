import type { DynamicModule, FactoryProvider, Provider } from '@nestjs/common';

/**
 * The module options as the `MONITE_AUTH_MODULE_OPTIONS` provider holds them: every option as
 * given except `clientSecret`, which sits in a private field. Nest keeps that provider (and the
 * dynamic module that declares it) for the life of the app, and anything that walks the container
 * (a debugger, a diagnostics dump, `util.inspect` of a module) must find no secret there.
 */
class SealedMoniteAuthOptions {
  readonly #clientSecret: unknown;

  constructor(options: Record<string, unknown>) {
    const { clientSecret, ...rest } = options;
    Object.assign(this, rest);
    this.#clientSecret = clientSecret;
    Object.freeze(this);
  }

  /** The options with the secret back in place, for validation (a plain copy, not kept). */
  static unseal(sealed: SealedMoniteAuthOptions): Record<string, unknown> {
    return { ...sealed, clientSecret: sealed.#clientSecret };
  }
}

/** Options given by the app, sealed; anything that is not an options object is left for validation to name. */
export function sealMoniteAuthOptions(options: unknown): unknown {
  if (typeof options !== 'object' || options === null || options instanceof SealedMoniteAuthOptions) {
    return options;
  }
  return new SealedMoniteAuthOptions(options as Record<string, unknown>);
}

/** The inverse of {@link sealMoniteAuthOptions}; any other value as it is. */
export function unsealMoniteAuthOptions(options: unknown): unknown {
  return options instanceof SealedMoniteAuthOptions ? SealedMoniteAuthOptions.unseal(options) : options;
}

/**
 * The dynamic module with its options provider holding sealed options: `forRoot`'s value sealed at
 * once, `forRootAsync`'s factory (`useFactory`, or the one Nest builds for `useClass` and
 * `useExisting`) wrapped so its result is sealed before Nest keeps it.
 */
export function sealOptionsProvider(definition: DynamicModule, token: symbol | string): DynamicModule {
  const providers = definition.providers?.map((provider: Provider): Provider => {
    if (typeof provider !== 'object' || provider === null || !('provide' in provider)) return provider;
    if (provider.provide !== token) return provider;
    if ('useValue' in provider) return { ...provider, useValue: sealMoniteAuthOptions(provider.useValue) };
    if ('useFactory' in provider) {
      const factory = provider.useFactory;
      const sealed: FactoryProvider = {
        ...provider,
        useFactory: (...args: unknown[]) => {
          const options: unknown = factory(...args);
          return options instanceof Promise
            ? options.then(sealMoniteAuthOptions)
            : sealMoniteAuthOptions(options);
        },
      };
      return sealed;
    }
    return provider;
  });
  return { ...definition, providers };
}
