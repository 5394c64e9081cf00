import { InitialSchema1763769600000 } from './1763769600000-initial-schema.js';
import { ApiKeys1764200000000 } from './1764200000000-api-keys.js';

/** Every migration, in order. Listed explicitly: ESM builds have no glob loading. */
export const MIGRATIONS = [InitialSchema1763769600000, ApiKeys1764200000000];
