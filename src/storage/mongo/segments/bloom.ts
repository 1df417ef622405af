/**
 * A Bloom filter over strings, stored as bytes in a segment's catalog entry: "may this segment hold trace T /
 * metadata pair k=v?". No false negatives, so a segment it rules out is never opened. Double hashing of two
 * 32-bit FNV-1a variants (no dependency, stable across processes and versions: the bits are persisted).
 */
export class BloomFilter {
  readonly bits: Uint8Array;
  private readonly m: number;

  constructor(
    bitsOrSize: Uint8Array | number,
    readonly hashes = 7,
  ) {
    this.bits = typeof bitsOrSize === 'number' ? new Uint8Array(Math.max(8, Math.ceil(bitsOrSize / 8))) : bitsOrSize;
    this.m = this.bits.length * 8;
  }

  /**
   * Bits for `n` entries at about 1% false positives (10 bits and 7 hashes per entry), capped at `maxBytes`;
   * `bitsPerEntry` 20 gives about 0.02%.
   */
  static sizedFor(n: number, maxBytes: number, bitsPerEntry = 10): BloomFilter {
    return new BloomFilter(Math.min(Math.max(n, 64) * bitsPerEntry, maxBytes * 8));
  }

  add(s: string): void {
    const [h1, h2] = hashPair(s);
    for (let i = 0; i < this.hashes; i++) {
      const bit = (h1 + i * h2) % this.m;
      this.bits[bit >>> 3]! |= 1 << (bit & 7);
    }
  }

  mayHave(s: string): boolean {
    const [h1, h2] = hashPair(s);
    for (let i = 0; i < this.hashes; i++) {
      const bit = (h1 + i * h2) % this.m;
      if ((this.bits[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
    }
    return true;
  }
}

/** A stable 32-bit hash of a string (FNV-1a), e.g. to place an id in one of a segment's pack chunks. */
export const stringHash = (s: string): number => hashPair(s)[0];

function hashPair(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // The second hash must be odd-ish and non-zero so successive probes differ.
  return [a >>> 0, ((b >>> 0) | 1) >>> 0];
}
