import { ClientFrameType, FrameErrorCode, type ClientFrame } from '@herald/contracts';
import { parseTopicFrame } from '../topics/topic-frames.js';

export type ParsedInbound = { ok: true; frame: ClientFrame } | { ok: false; code: FrameErrorCode; message: string };

/** Validates one client frame (already known to be within the size limit). */
export function parseInbound(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): ParsedInbound {
  if (isBinary) return { ok: false, code: FrameErrorCode.MalformedFrame, message: 'frames must be JSON text' };
  let value: unknown;
  try {
    value = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
  } catch {
    return { ok: false, code: FrameErrorCode.MalformedFrame, message: 'frame is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: FrameErrorCode.MalformedFrame, message: 'frame must be a JSON object' };
  }
  const frame = value as Record<string, unknown>;
  if (frame.type === ClientFrameType.Ping) return { ok: true, frame: { type: ClientFrameType.Ping } };
  if (frame.type === ClientFrameType.Auth) {
    if (typeof frame.token !== 'string' || frame.token.length === 0) {
      return { ok: false, code: FrameErrorCode.InvalidToken, message: 'auth frame needs a token' };
    }
    return { ok: true, frame: { type: ClientFrameType.Auth, token: frame.token } };
  }
  const topics = parseTopicFrame(frame);
  if (topics) return topics;
  return { ok: false, code: FrameErrorCode.UnknownType, message: `unknown frame type ${JSON.stringify(String(frame.type)).slice(0, 40)}` };
}

/**
 * Fixed one-second window per socket: cheap (two numbers per socket) and
 * strict enough for a protocol whose clients send a ping now and then.
 */
export class FrameRateLimiter {
  private windowStart = 0;
  private count = 0;

  constructor(private readonly perSecond: number) {}

  /** False when this frame is one too many. */
  allow(now: number): boolean {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    return ++this.count <= this.perSecond;
  }
}
