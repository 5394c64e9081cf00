import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@herald/auth';
import { LimitName, TicketStore } from '@herald/bus';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { TicketIssued } from './ticket.responses.js';

/**
 * Tickets live 60 s at most and open exactly one socket. A user may take
 * HERALD_TICKETS_PER_MINUTE of them and hold HERALD_MAX_TICKETS_PER_USER
 * unused ones (the store's cap); beyond either, 429.
 */
export const TICKET_TTL_SECONDS = 60;

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/ws-tickets')
export class TicketsController {
  constructor(@Inject(TicketStore) private readonly tickets: TicketStore) {}

  @Post()
  @HttpCode(201)
  @RateLimit(LimitName.Tickets)
  @ApiCreatedResponse({ type: TicketIssued, description: 'A ticket for opening one socket' })
  async issue(@CurrentPrincipal() p: Principal): Promise<TicketIssued> {
    const expiresIn = Math.max(0, Math.min(TICKET_TTL_SECONDS, p.exp - Math.floor(Date.now() / 1000)));
    const grant = { userId: p.sub, tokenExp: p.exp, ...(p.topics.length ? { topics: p.topics } : {}) };
    const ticket = await this.tickets.issue(grant, Math.max(expiresIn, 1));
    return { ticket, expiresIn };
  }
}
