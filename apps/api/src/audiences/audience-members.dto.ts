import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** Body of `PUT` and `DELETE /v1/audiences/{key}/members`. */
export class AudienceMembersDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 1000, description: 'User ids, 1-128 characters each' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  userIds: string[];
}

/** Query of `GET /v1/audiences/{key}/members`. */
export class ListMembersQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'Members per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ minLength: 1, maxLength: 128, description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  after?: string;
}
