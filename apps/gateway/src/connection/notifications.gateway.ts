import type { IncomingMessage } from 'node:http';
import { Inject } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import type { WebSocket, WebSocketServer } from 'ws';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { WS_PATH } from '@herald/contracts';
import { ConnectionService } from './connection.service.js';

/** `/ws`: the socket endpoint. All logic lives in ConnectionService. */
@WebSocketGateway({ path: WS_PATH, perMessageDeflate: false })
export class NotificationsGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  constructor(
    @Inject(ConnectionService) private readonly connections: ConnectionService,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  afterInit(server: WebSocketServer): void {
    // Decorator options are fixed at import time; the limit comes from config.
    server.options.maxPayload = this.config.gateway.maxFrameBytes;
  }

  handleConnection(ws: WebSocket, req: IncomingMessage): Promise<void> {
    return this.connections.open(ws, req);
  }

  handleDisconnect(ws: WebSocket): void {
    this.connections.close(ws);
  }
}
