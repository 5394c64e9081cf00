import { Transform } from 'class-transformer';

/**
 * A free-form object field (`data`, filters) reaches the handler as it was
 * parsed. class-transformer copies nested plain objects key by key and skips,
 * at every depth, each key that names a method of Object.prototype
 * (`toString`, `valueOf`, `hasOwnProperty`, …): a publisher's
 * `{"data":{"valueOf":1}}` would lose that key without a word. The parsed
 * value needs no copy: the body parser made it for this request alone.
 */
export const KeepAsSent = (): PropertyDecorator => Transform(({ obj, key }) => (obj as Record<string, unknown>)[key], { toClassOnly: true });
