/* libs/monite-auth/README.md, "Invalidating a user or an entity". */

import { Injectable } from '@nestjs/common';
import { MoniteTokenService } from 'nestjs-monite-auth';

@Injectable()
export class TeamService {
  constructor(private readonly tokens: MoniteTokenService) {}

  /** After the user's role changed (in Monite, or in your own ACL with a roleProvider). */
  async roleChanged(entityUserId: string) {
    await this.tokens.invalidateEntityUser(entityUserId);
  }

  async offboard(entityId: string) {
    await this.tokens.invalidateEntity(entityId);
  }
}
