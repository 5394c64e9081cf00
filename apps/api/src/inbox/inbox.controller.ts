import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@herald/auth';
import { LimitName } from '@herald/bus';
import { InboxChangeKind } from '@herald/contracts';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { BulkChangeDto, CountsRequestDto, EntriesQuery, InteractDto, SnoozeDto } from './inbox-changes.dto.js';
import { InboxChangesService } from './inbox-changes.service.js';
import { InboxService } from './inbox.service.js';
import { ListNotificationsQuery } from './list-notifications.query.js';
import { checkId } from './notification-id.js';
import { BulkAnswer, CountsAnswer, EntriesAnswer, Notification, NotificationPage, ReadAll, ReadState, UnreadCount } from './notification.responses.js';

/**
 * The caller's own notifications; any user token reaches its own inbox. Every
 * route spends the caller's HERALD_INBOX_REQUESTS_PER_MINUTE budget.
 */
@ApiTags('users')
@ApiBearerAuth()
@RateLimit(LimitName.Inbox)
@Controller('v1/notifications')
export class InboxController {
  constructor(
    @Inject(InboxService) private readonly inbox: InboxService,
    @Inject(InboxChangesService) private readonly changes: InboxChangesService,
  ) {}

  @Get()
  @ApiOkResponse({ type: NotificationPage })
  list(@CurrentPrincipal() p: Principal, @Query() query: ListNotificationsQuery) {
    return this.inbox.list(p.sub, query);
  }

  @Get('unread-count')
  @ApiOkResponse({ type: UnreadCount })
  async unreadCount(@CurrentPrincipal() p: Principal) {
    return { count: await this.inbox.unreadCount(p.sub) };
  }

  /** The user's ordered stream over REST: notifications and inbox changes above `after`. */
  @Get('entries')
  @ApiOkResponse({ type: EntriesAnswer })
  entries(@CurrentPrincipal() p: Principal, @Query() query: EntriesQuery) {
    return this.inbox.entries(p.sub, query.after, query.limit);
  }

  @Post('counts')
  @HttpCode(200)
  @ApiOkResponse({ type: CountsAnswer })
  counts(@CurrentPrincipal() p: Principal, @Body() body: CountsRequestDto) {
    return this.inbox.counts(p.sub, body.filters);
  }

  @Post('bulk')
  @HttpCode(200)
  @ApiOkResponse({ type: BulkAnswer })
  bulk(@CurrentPrincipal() p: Principal, @Body() body: BulkChangeDto) {
    return this.changes.bulk(p.sub, body.action, body.ids, body.filter);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOkResponse({ type: ReadAll })
  readAll(@CurrentPrincipal() p: Principal) {
    return this.changes.readAll(p.sub);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: ReadState })
  read(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.changes.setRead(p.sub, checkId(id), true);
  }

  @Post(':id/unread')
  @HttpCode(200)
  @ApiOkResponse({ type: ReadState })
  unread(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.changes.setRead(p.sub, checkId(id), false);
  }

  @Post(':id/seen')
  @HttpCode(200)
  @ApiOkResponse({ type: Notification, description: 'The notification as it is now' })
  seen(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.changes.change(p.sub, checkId(id), { kind: InboxChangeKind.Seen });
  }

  @Post(':id/archive')
  @HttpCode(200)
  @ApiOkResponse({ type: Notification, description: 'The notification as it is now' })
  archive(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.changes.change(p.sub, checkId(id), { kind: InboxChangeKind.Archived });
  }

  @Post(':id/unarchive')
  @HttpCode(200)
  @ApiOkResponse({ type: Notification, description: 'The notification as it is now' })
  unarchive(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.changes.change(p.sub, checkId(id), { kind: InboxChangeKind.Unarchived });
  }

  @Post(':id/snooze')
  @HttpCode(200)
  @ApiOkResponse({ type: Notification, description: 'The notification as it is now' })
  snooze(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: SnoozeDto) {
    return this.changes.change(p.sub, checkId(id), { kind: InboxChangeKind.Snoozed, snoozedUntil: body.until });
  }

  @Post(':id/unsnooze')
  @HttpCode(200)
  @ApiOkResponse({ type: Notification, description: 'The notification as it is now' })
  unsnooze(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.changes.change(p.sub, checkId(id), { kind: InboxChangeKind.Unsnoozed });
  }

  @Post(':id/interact')
  @HttpCode(200)
  @ApiOkResponse({ type: Notification, description: 'The notification as it is now' })
  interact(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: InteractDto) {
    return this.changes.change(p.sub, checkId(id), { kind: InboxChangeKind.Interacted, interaction: body.interaction });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    await this.changes.remove(p.sub, checkId(id));
  }
}
