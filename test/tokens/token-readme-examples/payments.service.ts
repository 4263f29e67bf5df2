/* libs/monite-auth/README.md, "Getting tokens". */

import { Injectable } from '@nestjs/common';
import { MoniteTokenService } from 'nestjs-monite-auth';

@Injectable()
export class PaymentsService {
  constructor(private readonly tokens: MoniteTokenService) {}

  async example(entityUserId: string, entityId: string) {
    const partner = await this.tokens.getPartnerToken(); // grant_type=client_credentials
    const user = await this.tokens.getEntityUserToken(entityUserId, { entityId }); // grant_type=entity_user
    // { accessToken, tokenType: 'Bearer', expiresAt: epoch ms }
    return { partner, user };
  }
}
