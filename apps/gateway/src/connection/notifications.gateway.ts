import type { IncomingMessage } from 'node:http';
import { Inject } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import type { WebSocket, WebSocketServer } from 'ws';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { WS_PATH } from '@herald/contracts';
import { ConnectionService } from './connection.service.js';

/**
 * How long a socket the server closes may take to answer the close frame
 * before its TCP connection is cut. ws waits 30 s by default: a refused or
 * slow client that ignores the close would hold its connection (and a slow
 * consumer its send buffer) that long.
 */
export const CLOSE_GRACE_MS = 2000;

/** `/ws`: the socket endpoint. All logic lives in ConnectionService. */
@WebSocketGateway({ path: WS_PATH, perMessageDeflate: false })
export class NotificationsGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  constructor(
    @Inject(ConnectionService) private readonly connections: ConnectionService,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  afterInit(server: WebSocketServer): void {
    // Decorator options are fixed at import time; the limit comes from config.
    // ws hands these options to every socket it accepts.
    server.options.maxPayload = this.config.gateway.maxFrameBytes;
    // closeTimeout is a ws 8 server option @types/ws does not list yet.
    (server.options as { closeTimeout?: number }).closeTimeout = CLOSE_GRACE_MS;
  }

  handleConnection(ws: WebSocket, req: IncomingMessage): Promise<void> {
    return this.connections.open(ws, req);
  }

  handleDisconnect(ws: WebSocket): void {
    this.connections.close(ws);
  }
}
