import 'reflect-metadata';
import { getMetadataStorage, IsInt, IsString, MetadataStorage, validate } from 'class-validator';
import { PublishNotificationDto } from '../notifications/publish-notification.dto.js';
import { PublishTopicEventsDto, TopicEventItemDto } from '../topics/topic-event.dto.js';
import { cacheValidationMetadata } from './validation-metadata-cache.js';

const storage = getMetadataStorage();
/** The storage's own lookup, past the cache. */
const uncached = (...args: Parameters<MetadataStorage['getTargetValidationMetadatas']>) =>
  MetadataStorage.prototype.getTargetValidationMetadatas.apply(storage, args);
const uncachedGroups = (metadatas: ReturnType<typeof uncached>) => MetadataStorage.prototype.groupByPropertyName.call(storage, metadatas);

class Base {
  @IsString()
  name: string;
}

describe('cacheValidationMetadata', () => {
  beforeAll(() => cacheValidationMetadata(storage));

  it('answers every lookup class-validator and Nest make as the storage itself does, then from memory', () => {
    const classes = [PublishNotificationDto, TopicEventItemDto, PublishTopicEventsDto, Base, Object];
    const lookups: Parameters<MetadataStorage['getTargetValidationMetadatas']>[] = classes.flatMap((c) => [
      [c, undefined as unknown as string, false, false, undefined], // a validated object
      [c, 'PublishTopicEventsDto', false, false, undefined], // a nested one (its parent's class name)
      [c, null as unknown as string, false, false], // @nestjs/mapped-types
      [c, undefined as unknown as string, true, true, undefined],
    ]);
    for (const args of lookups) {
      const first = storage.getTargetValidationMetadatas(...args);
      expect(first).toStrictEqual(uncached(...args));
      expect(storage.getTargetValidationMetadatas(...args)).toBe(first);
      expect(storage.groupByPropertyName(first)).toStrictEqual(uncachedGroups(first));
    }
    // Inherited rules (PickType, then a subclass) are found as before.
    expect(storage.getTargetValidationMetadatas(TopicEventItemDto, undefined as unknown as string, false, false).map((m) => m.propertyName)).toEqual(
      expect.arrayContaining(['topic', 'type', 'data']),
    );
  });

  it('passes lookups with groups, or for a target that is not a class, to the storage', () => {
    const args: Parameters<MetadataStorage['getTargetValidationMetadatas']> = [PublishNotificationDto, undefined as unknown as string, false, false, ['g']];
    expect(storage.getTargetValidationMetadatas(...args)).not.toBe(storage.getTargetValidationMetadatas(...args));
    expect(storage.getTargetValidationMetadatas(...args)).toStrictEqual(uncached(...args));
    // The storage throws for an object without a constructor; so must the cache.
    expect(() => storage.getTargetValidationMetadatas(...([undefined, '', false, false] as unknown as Parameters<typeof uncached>))).toThrow(TypeError);
  });

  it('forgets its answers when a rule is added later, to the class or to a new subclass', async () => {
    expect(await validate(Object.assign(new Base(), { name: 'a', size: 'big' }))).toEqual([]);
    IsInt()(Base.prototype, 'size');
    expect((await validate(Object.assign(new Base(), { name: 'a', size: 'big' }))).map((e) => e.property)).toEqual(['size']);

    class Derived extends Base {
      @IsString()
      label: string;
    }
    const errors = await validate(Object.assign(new Derived(), { name: 1, size: 2, label: 3 }));
    expect(errors.map((e) => e.property).sort()).toEqual(['label', 'name']);
  });

  it('installs once', () => {
    const lookup = storage.getTargetValidationMetadatas;
    cacheValidationMetadata(storage);
    expect(storage.getTargetValidationMetadatas).toBe(lookup);
  });
});
