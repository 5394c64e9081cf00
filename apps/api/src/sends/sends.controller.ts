import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireScopes, type Principal } from '@herald/auth';
import { Scope } from '@herald/contracts';
import { SendsService } from './sends.service.js';

/** The progress of an accepted send (202 of `POST /v1/notifications`); a service sees its own. */
@ApiTags('services')
@ApiBearerAuth()
@Controller('v1/sends')
export class SendsController {
  constructor(@Inject(SendsService) private readonly sends: SendsService) {}

  @Get(':id')
  @RequireScopes(Scope.Publish)
  status(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.sends.status(p.sub, id);
  }
}
