import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@herald/auth';
import { AUDIENCE_KEY, Scope } from '@herald/contracts';
import { AudiencesRepository, Database } from '@herald/database';
import { ValidationError } from '@herald/errors';
import { AudienceMembersDto, ListMembersQuery } from './audience-members.dto.js';
import { AudienceMemberPage, AudienceMembersAdded, AudienceMembersRemoved } from './audience.responses.js';

function checkKey(key: string): string {
  if (!AUDIENCE_KEY.test(key)) throw ValidationError.field('key', `must match ${AUDIENCE_KEY.source}`);
  return key;
}

const AUDIENCE_KEY_PARAM = { name: 'key', schema: { type: 'string', pattern: AUDIENCE_KEY.source }, description: 'The audience', example: 'beta-testers' } as const;

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
  @ApiParam(AUDIENCE_KEY_PARAM)
  @ApiOkResponse({ type: AudienceMembersAdded, description: 'The members are in the audience' })
  async add(@Param('key') key: string, @Body() body: AudienceMembersDto): Promise<AudienceMembersAdded> {
    return { added: await this.audiences.add(checkKey(key), [...new Set(body.userIds)]) };
  }

  @Delete(':key/members')
  @HttpCode(200)
  @RequireScopes(Scope.Publish)
  @ApiParam(AUDIENCE_KEY_PARAM)
  @ApiOkResponse({ type: AudienceMembersRemoved, description: 'The members are out of the audience' })
  async remove(@Param('key') key: string, @Body() body: AudienceMembersDto): Promise<AudienceMembersRemoved> {
    return { removed: await this.audiences.remove(checkKey(key), [...new Set(body.userIds)]) };
  }

  /** Members in a stable order; `nextCursor` is null on the last page. */
  @Get(':key/members')
  @RequireScopes(Scope.Publish)
  @ApiParam(AUDIENCE_KEY_PARAM)
  @ApiOkResponse({ type: AudienceMemberPage, description: 'A page of members; an audience without members is an empty page' })
  async list(@Param('key') key: string, @Query() q: ListMembersQuery): Promise<AudienceMemberPage> {
    const limit = q.limit ?? 100;
    const items = await this.audiences.page(this.db, checkKey(key), q.after, limit);
    return { items, nextCursor: items.length === limit ? items[items.length - 1] : null };
  }
}
