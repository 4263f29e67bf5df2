/*
 * A separate application that uses nestjs-monite-auth the way a user does: installed from the
 * packed tarball, imported by package name, configured with forRootAsync + ConfigService from the
 * environment. packed-consumer.e2e.spec.ts copies this file into a temporary project, type-checks
 * it against the package's .d.ts, runs it, and reads the JSON it prints.
 */
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import {
  MoniteAuthModule,
  MoniteTokenService,
  type MoniteAccessToken,
  type MoniteAuthModuleOptions,
} from 'nestjs-monite-auth';

// The declarations are real types, not `any`: a missing clientSecret does not compile.
// @ts-expect-error clientSecret is required
const incomplete: MoniteAuthModuleOptions = { clientId: 'x' };
void incomplete;

@Injectable()
class TokenReport {
  constructor(private readonly tokens: MoniteTokenService) {}

  async run(entityUserId: string): Promise<{ partner: MoniteAccessToken; user: MoniteAccessToken }> {
    const partner = await this.tokens.getPartnerToken();
    const user = await this.tokens.getEntityUserToken(entityUserId);
    return { partner, user };
  }
}

@Module({
  imports: [
    ConfigModule.forRoot({ ignoreEnvFile: true }),
    MoniteAuthModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService): MoniteAuthModuleOptions => ({
        clientId: config.getOrThrow<string>('MONITE_CLIENT_ID'),
        clientSecret: config.getOrThrow<string>('MONITE_CLIENT_SECRET'),
        apiUrl: config.getOrThrow<string>('MONITE_API_URL'),
      }),
    }),
  ],
  providers: [TokenReport],
})
class ConsumerModule {}

const app = await NestFactory.createApplicationContext(ConsumerModule, { logger: ['error', 'warn'] });
try {
  const report = await app.get(TokenReport).run(process.env.MONITE_ENTITY_USER_ID ?? '');
  // Where 'nestjs-monite-auth' was loaded from: the test checks it is the installed tarball.
  const resolvedFrom = import.meta.resolve('nestjs-monite-auth');
  process.stdout.write(`${JSON.stringify({ resolvedFrom, ...report })}\n`);
} finally {
  await app.close();
}
