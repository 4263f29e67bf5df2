import { HttpModule } from '@nestjs/axios';
import { Module, type Provider } from '@nestjs/common';
import { ConfigurableModuleClass, MONITE_AUTH_MODULE_OPTIONS } from './monite-auth.module-definition.js';
import { MONITE_AUTH_RESOLVED_OPTIONS } from './monite-auth.options.js';
import { resolveMoniteAuthOptions } from './monite-auth.options-validation.js';
import { tokenProviders } from './tokens/tokens.providers.js';
import { clientProviders } from './client/client.providers.js';
import { rbacProviders } from './rbac/rbac.providers.js';

/** Validates the options once, at boot: a bad option fails the app's start with a message naming it. */
const resolvedOptionsProvider: Provider = {
  provide: MONITE_AUTH_RESOLVED_OPTIONS,
  inject: [MONITE_AUTH_MODULE_OPTIONS],
  useFactory: resolveMoniteAuthOptions,
};

const providers = [resolvedOptionsProvider, ...tokenProviders, ...clientProviders, ...rbacProviders];

/** Monite access tokens and permission checks. Configure with `forRoot` or `forRootAsync`. */
@Module({
  // A private axios instance: interceptors an app adds to the global axios never see the secret.
  imports: [HttpModule.register({ maxRedirects: 0 })],
  providers,
  exports: providers,
})
export class MoniteAuthModule extends ConfigurableModuleClass {}
