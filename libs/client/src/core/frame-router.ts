import type { ServerFrame } from '@herald/contracts';
import type { Link } from '../connection/transport.js';

export type FrameType = ServerFrame['type'];
export type FrameOf<T extends FrameType> = Extract<ServerFrame, { type: T }>;
/** Handles one frame; the client's queue waits for a returned promise. */
export type FrameHandler<T extends FrameType> = (frame: FrameOf<T>, link: Link) => Promise<void> | void;
type AnyFrameHandler = (frame: ServerFrame, link: Link) => Promise<void> | void;

/**
 * Which code handles which server frame type, so a feature adds frame kinds
 * by registering them rather than by editing a switch in the core. Each
 * type has exactly one owner: a second registration is a wiring mistake and
 * throws at construction. Types nobody registered are ignored, because a
 * newer server may send frames this SDK does not know yet.
 */
export class FrameRouter {
  private readonly handlers = new Map<string, AnyFrameHandler>();

  on<T extends FrameType>(type: T, handler: FrameHandler<T>): this {
    if (this.handlers.has(type)) throw new Error(`'${type}' frames have a handler`);
    // Safe: dispatch() only passes frames whose type is `type`.
    this.handlers.set(type, handler as AnyFrameHandler);
    return this;
  }

  dispatch(frame: ServerFrame, link: Link): Promise<void> | void {
    return this.handlers.get(frame.type)?.(frame, link);
  }
}
