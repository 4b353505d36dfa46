import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { Public } from '../common/decorators/public.decorator';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { AcceptInviteDto } from './dto/orgs.dto';
import { OrgsService } from './orgs.service';
import { Membership } from './membership.entity';

@Controller('invites')
export class InvitesController {
  constructor(private readonly orgs: OrgsService) {}

  @Public()
  @Get('preview')
  preview(@Query('token') token: string) {
    return this.orgs.previewInvite(String(token ?? ''));
  }

  @Post('accept')
  accept(
    @CurrentUser('id') userId: string,
    @CurrentUser('email') email: string,
    @Body() dto: AcceptInviteDto,
  ): Promise<Membership> {
    return this.orgs.acceptInvite(userId, email, dto.token);
  }

  @Public()
  @HttpCode(204)
  @Delete(':inviteId')
  revoke(@Param('inviteId', ParseUUIDPipe) inviteId: string): Promise<void> {
    return this.orgs.revokeInvite(inviteId);
  }
}
