import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@herald/auth';
import { LimitName } from '@herald/bus';
import { NotFoundError } from '@herald/errors';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { InboxService } from './inbox.service.js';
import { ListNotificationsQuery } from './list-notifications.query.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The caller's own notifications; any user token reaches its own inbox. Every
 * route spends the caller's HERALD_INBOX_REQUESTS_PER_MINUTE budget.
 */
@ApiTags('users')
@ApiBearerAuth()
@RateLimit(LimitName.Inbox)
@Controller('v1/notifications')
export class InboxController {
  constructor(@Inject(InboxService) private readonly inbox: InboxService) {}

  @Get()
  list(@CurrentPrincipal() p: Principal, @Query() query: ListNotificationsQuery) {
    return this.inbox.list(p.sub, query);
  }

  @Get('unread-count')
  async unreadCount(@CurrentPrincipal() p: Principal) {
    return { count: await this.inbox.unreadCount(p.sub) };
  }

  @Post('read-all')
  @HttpCode(200)
  readAll(@CurrentPrincipal() p: Principal) {
    return this.inbox.readAll(p.sub);
  }

  @Post(':id/read')
  @HttpCode(200)
  read(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.inbox.setRead(p.sub, checkId(id), true);
  }

  @Post(':id/unread')
  @HttpCode(200)
  unread(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.inbox.setRead(p.sub, checkId(id), false);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    await this.inbox.remove(p.sub, checkId(id));
  }
}

/** A malformed id cannot name a notification: same 404 as someone else's id. */
function checkId(id: string): string {
  if (!UUID.test(id)) throw new NotFoundError();
  return id;
}
