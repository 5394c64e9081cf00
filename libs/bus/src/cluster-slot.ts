/** Redis Cluster's slot count: a key belongs to slot CRC16(key) mod 16384. */
const SLOTS = 16384;

/**
 * The hash tag Redis Cluster hashes instead of the whole key: the text
 * between the first `{` and the first `}` after it, when that is not empty.
 * Null when the key has none, so Redis hashes the whole key.
 */
export function hashTag(key: string): string | null {
  const open = key.indexOf('{');
  if (open === -1) return null;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return null;
  return key.slice(open + 1, close);
}

/**
 * The cluster slot of a key or a sharded channel, as CLUSTER KEYSLOT answers.
 * Slicing the string before encoding is safe: `{` and `}` are ASCII and never
 * occur inside a multi-byte UTF-8 sequence.
 */
export function keySlot(key: string): number {
  return crc16(Buffer.from(hashTag(key) ?? key, 'utf8')) % SLOTS;
}

/** CRC-16/XMODEM (polynomial 0x1021, initial 0), the variant Redis Cluster uses. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
