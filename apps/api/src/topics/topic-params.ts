import type { ApiParamOptions } from '@nestjs/swagger';
import { TOPIC_NAME_PATTERN } from '@herald/contracts';

/** The `{topic}` of a publish: one topic, never a pattern. */
export const TOPIC_NAME_PARAM: ApiParamOptions = {
  name: 'topic',
  schema: { type: 'string', pattern: TOPIC_NAME_PATTERN },
  description: 'A topic name (not an `ns:*` pattern)',
  example: 'jobs:42',
};

/** The `{topic}` of a catch-up: a name, or `ns:*` as `isTopicPattern` accepts it. */
export const TOPIC_OR_PATTERN_PARAM: ApiParamOptions = {
  name: 'topic',
  schema: { type: 'string', pattern: `${TOPIC_NAME_PATTERN}|^[a-z0-9][a-z0-9._-]{0,125}:\\*$` },
  description: 'A topic name, or `ns:*` for every topic of namespace `ns` (paged by nsSeq; only where the namespace allows patterns)',
  example: 'jobs:42',
};
