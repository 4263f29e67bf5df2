/* libs/monite-auth/README.md, "forRootAsync with ConfigService: registerAs". */

import { Module } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { MoniteAuthModule, type MoniteAuthModuleOptions } from 'nestjs-monite-auth';

export const moniteConfig = registerAs('monite', (): MoniteAuthModuleOptions => ({
  clientId: process.env.MONITE_CLIENT_ID!,
  clientSecret: process.env.MONITE_CLIENT_SECRET!,
  apiUrl: process.env.MONITE_API_URL,
}));

@Module({
  imports: [ConfigModule.forRoot(), MoniteAuthModule.forRootAsync(moniteConfig.asProvider())],
})
export class AppModule {}
