import { ServerFrameType, type BroadcastFrame } from '@herald/contracts';
import type { CreateBroadcastDto } from './create-broadcast.dto.js';

/** The frame every connected socket receives; absent optional fields become null / `info`. */
export function toBroadcastFrame(input: CreateBroadcastDto, id: string, now: Date): BroadcastFrame {
  return {
    type: ServerFrameType.Broadcast,
    broadcast: {
      id,
      type: input.type,
      title: input.title,
      body: input.body ?? null,
      severity: input.severity ?? 'info',
      data: input.data ?? null,
      createdAt: now.toISOString(),
    },
  };
}
