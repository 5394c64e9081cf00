import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireScopes, type Principal } from '@herald/auth';
import { Scope, type NotificationPage } from '@herald/contracts';
import { NotificationLookup } from '@herald/database';
import { NotFoundError, ValidationError } from '@herald/errors';
import { NotificationPageQuery } from './notification-page.query.js';
import { checkId } from './notification-id.js';
import { Notification as NotificationSchema, NotificationPage as NotificationPageSchema } from './notification.responses.js';

/**
 * What a service sent, as its recipients left it: states and times
 * (delivered, seen, read, archived, snoozed, interacted). A service sees
 * only the notifications its own `sub` published; any other id is the
 * same 404 as one that does not exist. Registered after InboxController,
 * whose fixed paths (`unread-count`, `entries`) come first.
 */
@ApiTags('services')
@ApiBearerAuth()
@Controller('v1')
export class SentNotificationsController {
  constructor(@Inject(NotificationLookup) private readonly lookup: NotificationLookup) {}

  @Get('notifications/:id')
  @RequireScopes(Scope.Publish)
  @ApiOkResponse({ type: NotificationSchema, description: 'Its states and times' })
  async one(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return (await this.lookup.forPublisher(p.sub, checkId(id))) ?? notFound();
  }

  @Get('recipients/:userId/notifications')
  @RequireScopes(Scope.Publish)
  @ApiOkResponse({ type: NotificationPageSchema, description: 'Newest activity first, every state' })
  async recipient(@CurrentPrincipal() p: Principal, @Param('userId') userId: string, @Query() q: NotificationPageQuery): Promise<NotificationPage> {
    if (userId.length < 1 || userId.length > 128) throw ValidationError.field('userId', 'must be 1-128 characters');
    const limit = q.limit ?? 20;
    const items = await this.lookup.recipientPage(p.sub, userId, limit, q.before);
    return { items, nextCursor: items.length === limit ? String(items[items.length - 1].activitySeq) : null };
  }
}

function notFound(): never {
  throw new NotFoundError();
}
