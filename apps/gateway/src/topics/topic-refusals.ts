import { AuthError, TopicForbiddenError, TopicNameError } from '@herald/auth';
import { FrameErrorCode, ServerFrameType, type ErrorFrame } from '@herald/contracts';

/** The `error` frame refusing `topic`; the socket stays open. */
export function refusal(topic: string, code: FrameErrorCode, message: string): ErrorFrame {
  return { type: ServerFrameType.Error, code, message, topic };
}

/**
 * The one mapping from what a subscribe threw to its error frame: a bad name,
 * a topic not granted, a subscription token that fails its checks. Anything
 * else (the database or Redis not answering) is `unavailable`: the client
 * may try again; the text is fixed, the cause goes to the log.
 */
export function refusalFor(topic: string, err: unknown): ErrorFrame {
  if (err instanceof TopicNameError) return refusal(topic, FrameErrorCode.InvalidTopic, err.message);
  if (err instanceof TopicForbiddenError) return refusal(topic, FrameErrorCode.TopicForbidden, err.message);
  if (err instanceof AuthError) return refusal(topic, FrameErrorCode.InvalidToken, `subscription token refused: ${err.message}`);
  return refusal(topic, FrameErrorCode.Unavailable, 'topic unavailable, retry later');
}

/** Whether a refusal is worth logging: not the client's fault. */
export const isServerSide = (frame: ErrorFrame) => frame.code === FrameErrorCode.Unavailable;
