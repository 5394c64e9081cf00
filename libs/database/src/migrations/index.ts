import { InitialSchema1763769600000 } from './1763769600000-initial-schema.js';
import { ApiKeys1764200000000 } from './1764200000000-api-keys.js';
import { Topics1764400000000 } from './1764400000000-topics.js';
import { WorkerSchema1764600000000 } from './1764600000000-worker-schema.js';
import { InboxStates1764800000000 } from './1764800000000-inbox-states.js';
import { PartitionNotifications1765000000000 } from './1765000000000-partition-notifications.js';
import { NotificationReceipts1765200000000 } from './1765200000000-notification-receipts.js';
import { ResumeWithoutSeqIndex1765400000000 } from './1765400000000-resume-without-seq-index.js';

/** Every migration, in order. Listed explicitly: ESM builds have no glob loading. */
export const MIGRATIONS = [
  InitialSchema1763769600000, ApiKeys1764200000000, Topics1764400000000, WorkerSchema1764600000000, InboxStates1764800000000,
  PartitionNotifications1765000000000, NotificationReceipts1765200000000, ResumeWithoutSeqIndex1765400000000,
];
