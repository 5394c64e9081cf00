import { MAX_TAGS, SEVERITIES } from '@herald/contracts';
import type { BodyFastLane } from '../errors/body-fast-lane.js';
import { PublishNotificationDto } from './publish-notification.dto.js';
import {
  ACTOR_LENGTH, CATEGORY_PATTERN, GROUP_KEY_PATTERN, MAX_BODY_LENGTH, MAX_DATA_BYTES, MAX_RECIPIENTS, RECIPIENT_LENGTH, TAG_PATTERN, TITLE_LENGTH, TYPE_PATTERN,
} from './publish-notification.limits.js';
import { jsonBytes } from './validators.js';

/**
 * Characters that validator.js's isLength (behind @Length) does not count
 * one for one: surrogate pairs and variation selectors (each pair of code
 * units counts once). Its count is never above the string's length, and
 * never below 1 for a string that is not empty (a pair and a selector
 * sequence share at most one code unit), so a minimum of 0 or 1 needs no
 * look at the characters; a higher one leaves such text to the full pipe.
 */
const UNEVEN_WIDTH = /[\uD800-\uDFFF]|\uFE0E|\uFE0F/;

const isText = (v: unknown): v is string => typeof v === 'string';
const lengthWithin = (v: unknown, { min, max }: { min: number; max: number }) =>
  isText(v) && v.length >= min && v.length <= max && (min <= 1 || !UNEVEN_WIDTH.test(v));
/** isLength's count is never above the string's length, so this one needs no look at the characters. */
const atMost = (v: unknown, max: number) => isText(v) && v.length <= max;
const matches = (v: unknown, pattern: RegExp) => isText(v) && pattern.test(v);

/** Every item present and passing (a sparse array's holes fail, as they do in class-validator). */
function everyItem(list: unknown[], check: (item: unknown) => boolean): boolean {
  for (let i = 0; i < list.length; i++) if (!check(list[i])) return false;
  return true;
}

/**
 * The fields the lane takes, each with rules at least as strict as the
 * DTO's decorators. null fails every rule (@IsOptional lets it through, so
 * the full pipe takes it). audience, sendAt, expiresAt, link, avatar and
 * actions are left to the full pipe: URL and date rules, nested DTOs.
 */
const FIELDS = new Map<string, (value: unknown) => boolean>([
  ['recipients', (v) => Array.isArray(v) && v.length >= 1 && v.length <= MAX_RECIPIENTS && everyItem(v, (r) => lengthWithin(r, RECIPIENT_LENGTH))],
  ['type', (v) => matches(v, TYPE_PATTERN)],
  ['title', (v) => lengthWithin(v, TITLE_LENGTH)],
  ['body', (v) => atMost(v, MAX_BODY_LENGTH)],
  ['severity', (v) => (SEVERITIES as readonly unknown[]).includes(v)],
  ['data', (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && jsonBytes(v) <= MAX_DATA_BYTES],
  ['category', (v) => matches(v, CATEGORY_PATTERN)],
  ['tags', (v) => Array.isArray(v) && v.length <= MAX_TAGS && everyItem(v, (t) => matches(t, TAG_PATTERN)) && new Set(v).size === v.length],
  ['actor', (v) => lengthWithin(v, ACTOR_LENGTH)],
  ['groupKey', (v) => matches(v, GROUP_KEY_PATTERN)],
]);
const REQUIRED = ['recipients', 'type', 'title'];

/**
 * `POST /v1/notifications` for recipients, now: the publish path's body.
 * The DTO is built as class-transformer builds it (its constructor, then
 * the body's own keys); the parsed body's arrays and objects are handed
 * over as they are, since nothing else holds them.
 */
export const publishNotificationFastLane: BodyFastLane<PublishNotificationDto> = {
  metatype: PublishNotificationDto,
  accept(body) {
    if (typeof body !== 'object' || body === null || Object.getPrototypeOf(body) !== Object.prototype) return undefined;
    const fields = body as Record<string, unknown>;
    const keys = Object.keys(fields);
    for (const key of keys) {
      const valid = FIELDS.get(key);
      if (!valid || !valid(fields[key])) return undefined;
    }
    if (!REQUIRED.every((key) => Object.hasOwn(fields, key))) return undefined;
    const dto = new PublishNotificationDto();
    for (const key of keys) (dto as unknown as Record<string, unknown>)[key] = fields[key];
    return dto;
  },
};
