import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireScopes, type Principal } from '@herald/auth';
import { Scope } from '@herald/contracts';
import { SendStatus } from './send.responses.js';
import { SendsService } from './sends.service.js';

/** The progress of an accepted send (202 of `POST /v1/notifications`); a service sees its own. */
@ApiTags('services')
@ApiBearerAuth()
@Controller('v1/sends')
export class SendsController {
  constructor(@Inject(SendsService) private readonly sends: SendsService) {}

  @Get(':id')
  @RequireScopes(Scope.Publish)
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' }, description: 'send.id of the 202 answer' })
  @ApiOkResponse({ type: SendStatus, description: "The send's progress" })
  status(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<SendStatus> {
    return this.sends.status(p.sub, id);
  }
}
