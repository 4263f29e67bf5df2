/* libs/monite-auth/README.md, "Errors as HTTP answers". */

import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MoniteExceptionFilter } from 'nestjs-monite-auth';

@Module({
  providers: [{ provide: APP_FILTER, useClass: MoniteExceptionFilter }],
})
export class AppModule {}
