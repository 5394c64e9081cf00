// HS256 tokens for the bench: the service token that publishes and the
// users' socket tokens, signed with the run's secret (scripts/harness/tokens.mjs).
import { secretKey, signHs256 } from '../../scripts/harness/tokens.mjs';

export { newSecret, secretKey } from '../../scripts/harness/tokens.mjs';

const TTL = '3h';

/** The topic the topic scenario's sockets follow (granted to every bench user). */
export const BENCH_TOPIC = 'bench';

export const serviceToken = (secret) => signHs256(secretKey(secret), { sub: 'bench', scope: 'notifications:publish notifications:admin topics:publish' }, TTL);

/** A user's socket token; it grants the bench topic. */
export const userToken = (key, sub) => signHs256(key, { sub, topics: [BENCH_TOPIC] }, TTL);
