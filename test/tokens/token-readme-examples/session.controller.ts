/* libs/monite-auth/README.md, "Revoking on logout". */

import { Controller, Post, Req } from '@nestjs/common';
import { MoniteTokenService } from 'nestjs-monite-auth';

/** What your authentication put on the request. */
interface AppRequest {
  user: { entityUserId: string };
}

@Controller('session')
export class SessionController {
  constructor(private readonly tokens: MoniteTokenService) {}

  @Post('logout')
  async logout(@Req() request: AppRequest) {
    const { entityUserId } = request.user;
    const token = await this.tokens.getEntityUserToken(entityUserId);
    await this.tokens.revokeToken(token.accessToken, { entityUserId });
  }
}
