/**
 * The bounds of `POST /v1/notifications`' body, in one place: the DTO's
 * decorators (which write the OpenAPI document and the error messages) and
 * the fast lane (publish-notification.fast-lane.ts) read the same values.
 */
export const MAX_RECIPIENTS = 1000;
export const RECIPIENT_LENGTH = { min: 1, max: 128 } as const;
export const TITLE_LENGTH = { min: 1, max: 200 } as const;
export const MAX_BODY_LENGTH = 4000;
export const ACTOR_LENGTH = { min: 1, max: 100 } as const;
export const MAX_DATA_BYTES = 8 * 1024;

export const TYPE_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
export const CATEGORY_PATTERN = TYPE_PATTERN;
export const TAG_PATTERN = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;
/** As text too: a RegExp's `source` writes its `/` as `\/`, which the contract does not. */
export const GROUP_KEY_SOURCE = '^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$';
export const GROUP_KEY_PATTERN = new RegExp(GROUP_KEY_SOURCE);
