import { Module } from '@nestjs/common';
import { HttpModule } from '@nestjs/axios';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Organization } from './organization.entity';
import { Membership } from './membership.entity';
import { Invite } from './invite.entity';
import { Wallet } from '../wallet/wallet.entity';
import { OrgsService } from './orgs.service';
import { InvitesController } from './invites.controller';
import { OrgMembersController, OrgsController } from './orgs.controller';

@Module({
  imports: [
    TypeOrmModule.forFeature([Organization, Membership, Invite, Wallet]),
    HttpModule.register({ timeout: 5000, maxRedirects: 2 }),
  ],
  controllers: [OrgsController, OrgMembersController, InvitesController],
  providers: [OrgsService],
  exports: [OrgsService, TypeOrmModule],
})
export class OrgsModule {}
