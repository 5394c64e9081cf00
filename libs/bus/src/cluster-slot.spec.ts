import { hashTag, keySlot } from './cluster-slot.js';

describe('cluster slots', () => {
  it('hashes like CLUSTER KEYSLOT (values from a Redis 7 cluster)', () => {
    expect(keySlot('somekey')).toBe(11058);
    expect(keySlot('123456789')).toBe(12739);
    expect(keySlot('foo{hash_tag}')).toBe(2515);
    expect(keySlot('a{}b')).toBe(13694);
    expect(keySlot('h:u:{ü}')).toBe(9552);
  });

  it('routes every key with the same tag to the same slot', () => {
    const sut = ['herald:u:{alice}', 'other:{alice}', '{alice}'].map(keySlot);

    expect(new Set(sut).size).toBe(1);
  });

  it('reads the tag between the first { and the next }, if not empty', () => {
    expect(hashTag('herald:u:{alice}')).toBe('alice');
    expect(hashTag('a{b{c}d}')).toBe('b{c');
    expect(hashTag('herald:broadcast')).toBeNull();
    expect(hashTag('a{}b')).toBeNull();
    expect(hashTag('a{b')).toBeNull();
  });
});
