import { WsAdapter } from '@nestjs/platform-ws';

/**
 * The ws adapter without Nest's per-socket message pipeline. Herald reads
 * client frames itself (InboundHandler); the inherited bindMessageHandlers
 * would build an rxjs chain on every socket, idle or not, and parse every
 * frame a second time. Connection and disconnect hooks are unchanged.
 */
export class LeanWsAdapter extends WsAdapter {
  override bindMessageHandlers(): void {
    // Frames are handled in InboundHandler.
  }
}
