/* libs/monite-auth/README.md, "forRoot". */

import { Module } from '@nestjs/common';
import { MoniteAuthModule } from 'nestjs-monite-auth';

@Module({
  imports: [
    MoniteAuthModule.forRoot({
      clientId: process.env.MONITE_CLIENT_ID!,
      clientSecret: process.env.MONITE_CLIENT_SECRET!,
      environment: 'sandbox', // or 'eu', 'na'; or apiUrl: 'http://127.0.0.1:4010/v1' for the emulator
      isGlobal: true,
    }),
  ],
})
export class AppModule {}
