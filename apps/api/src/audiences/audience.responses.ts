import { ApiProperty } from '@nestjs/swagger';

/** `PUT /v1/audiences/{key}/members` answer. */
export class AudienceMembersAdded {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Members that were not in the audience before; ids already there are not counted' })
  added: number;
}

/** `DELETE /v1/audiences/{key}/members` answer. */
export class AudienceMembersRemoved {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Members taken out; ids that were not there are not counted' })
  removed: number;
}

/** `GET /v1/audiences/{key}/members` answer. */
export class AudienceMemberPage {
  @ApiProperty({ type: [String], maxItems: 1000, description: 'User ids, ordered by id', example: ['user-1', 'user-2'] })
  items: string[];

  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as `after` for the next page; null on the last page' })
  nextCursor: string | null;
}
