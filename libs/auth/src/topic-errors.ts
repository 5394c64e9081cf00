import { ErrorCode } from '@herald/contracts';
import { HeraldError } from '@herald/errors';

/** A topic name or pattern that breaks the rules, or a pattern its namespace does not allow. */
export class TopicNameError extends HeraldError {
  constructor(problem: string) {
    super(ErrorCode.ValidationFailed, `topic ${problem}`, { details: [{ field: 'topic', message: problem }] });
  }
}

/** Neither the user's token nor a subscription token grants this topic. */
export class TopicForbiddenError extends HeraldError {
  constructor(message = 'this topic is not granted to you') {
    super(ErrorCode.Forbidden, message);
  }
}
