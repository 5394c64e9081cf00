import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@herald/auth';
import { AUDIENCE_KEY, Scope } from '@herald/contracts';
import { AudiencesRepository, Database } from '@herald/database';
import { ValidationError } from '@herald/errors';
import { AudienceMembersDto, ListMembersQuery } from './audience-members.dto.js';

function checkKey(key: string): string {
  if (!AUDIENCE_KEY.test(key)) throw ValidationError.field('key', `must match ${AUDIENCE_KEY.source}`);
  return key;
}

/**
 * Named groups of users that `POST /v1/notifications` can address with
 * `audience`. An audience exists while it has members; adding a member
 * twice or removing one who is not there is not an error.
 */
@ApiTags('services')
@ApiBearerAuth()
@Controller('v1/audiences')
export class AudiencesController {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(AudiencesRepository) private readonly audiences: AudiencesRepository,
  ) {}

  @Put(':key/members')
  @HttpCode(200)
  @RequireScopes(Scope.Publish)
  async add(@Param('key') key: string, @Body() body: AudienceMembersDto) {
    return { added: await this.audiences.add(checkKey(key), [...new Set(body.userIds)]) };
  }

  @Delete(':key/members')
  @HttpCode(200)
  @RequireScopes(Scope.Publish)
  async remove(@Param('key') key: string, @Body() body: AudienceMembersDto) {
    return { removed: await this.audiences.remove(checkKey(key), [...new Set(body.userIds)]) };
  }

  /** Members in a stable order; `nextCursor` is null on the last page. */
  @Get(':key/members')
  @RequireScopes(Scope.Publish)
  async list(@Param('key') key: string, @Query() q: ListMembersQuery) {
    const limit = q.limit ?? 100;
    const items = await this.audiences.page(this.db, checkKey(key), q.after, limit);
    return { items, nextCursor: items.length === limit ? items[items.length - 1] : null };
  }
}
