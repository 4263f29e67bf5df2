/* libs/monite-auth/README.md, "forRootAsync with ConfigService". */

import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { MoniteAuthModule, type MoniteAuthModuleOptions } from 'nestjs-monite-auth';

@Module({
  imports: [
    ConfigModule.forRoot(),
    MoniteAuthModule.forRootAsync({
      isGlobal: true,
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService): MoniteAuthModuleOptions => ({
        clientId: config.getOrThrow('MONITE_CLIENT_ID'),
        clientSecret: config.getOrThrow('MONITE_CLIENT_SECRET'),
        apiUrl: config.get('MONITE_API_URL'),
      }),
    }),
  ],
})
export class AppModule {}
