/** Bits per expected peer in a generation (about 1 % false "known" with 4 hashes). */
const BITS_PER_PEER = 10;
const HASHES = 4;
/** Smallest and largest generation, in bytes (128 B = 1,024 bits; 16 KiB = 131,072 bits). */
export const MIN_GENERATION_BYTES = 128;
export const MAX_GENERATION_BYTES = 16_384;

/** Two 32-bit hashes of a peer string (FNV-1a and a multiplicative mix of it), for double hashing. */
function hashPair(peer: string): [number, number] {
  let h = 0x811c9dc5;
  for (let i = 0; i < peer.length; i++) {
    h ^= peer.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  let g = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  g = Math.imul(g ^ (g >>> 13), 0xc2b2ae35);
  g ^= g >>> 16;
  return [h >>> 0, (g | 1) >>> 0];
}

function has(bits: Uint8Array, h1: number, h2: number): boolean {
  const mask = bits.length * 8 - 1;
  for (let i = 0; i < HASHES; i++) {
    const bit = (h1 + Math.imul(i, h2)) & mask;
    if ((bits[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}

function set(bits: Uint8Array, h1: number, h2: number): void {
  const mask = bits.length * 8 - 1;
  for (let i = 0; i < HASHES; i++) {
    const bit = (h1 + Math.imul(i, h2)) & mask;
    bits[bit >>> 3] = bits[bit >>> 3]! | (1 << (bit & 7));
  }
}

/** Bytes of a generation sized for `peers` distinct peers: a power of two within the limits. */
export function generationBytes(peers: number): number {
  const wanted = Math.ceil((Math.max(1, peers) * BITS_PER_PEER) / 8);
  let bytes = MIN_GENERATION_BYTES;
  while (bytes < wanted && bytes < MAX_GENERATION_BYTES) bytes *= 2;
  return bytes;
}

/**
 * The peers one host has talked to lately, as two generations of a Bloom filter:
 * a peer is known when either generation holds it. The current generation takes
 * every peer seen; every `generationSeconds` (or early, when it holds twice the
 * peers it was sized for, e.g. during a scan) it becomes the previous one and a new
 * current generation starts, sized from how many peers the old one took. So "known"
 * means seen within the last one to two generations, the memory grows with the
 * host's real number of peers (128 B to 16 KiB a generation), and a false "known"
 * (about 1 % when sized right) only ever hides a new peer, never invents one.
 */
export class KnownPeers {
  current: Uint8Array;
  previous: Uint8Array;
  /** Start of the current generation, epoch seconds. */
  currentStart: number;
  /** Peers added to the current generation that it did not hold yet. */
  currentPeers: number;

  constructor(current: Uint8Array, previous: Uint8Array, currentStart: number, currentPeers: number) {
    this.current = current;
    this.previous = previous;
    this.currentStart = currentStart;
    this.currentPeers = currentPeers;
  }

  static create(ts: number): KnownPeers {
    return new KnownPeers(new Uint8Array(MIN_GENERATION_BYTES), new Uint8Array(MIN_GENERATION_BYTES), ts, 0);
  }

  /** Starts a new current generation when the current one is `generationSeconds` old. */
  age(ts: number, generationSeconds: number): void {
    if (ts - this.currentStart >= generationSeconds) this.rotate(ts);
  }

  private rotate(ts: number): void {
    this.previous = this.current;
    this.current = new Uint8Array(generationBytes(this.currentPeers));
    this.currentStart = ts;
    this.currentPeers = 0;
  }

  /** Notes the peer as seen; returns whether it was known before. */
  see(peer: string, ts: number): boolean {
    const [h1, h2] = hashPair(peer);
    if (has(this.current, h1, h2)) return true;
    const known = has(this.previous, h1, h2);
    set(this.current, h1, h2);
    this.currentPeers++;
    if (this.currentPeers > (2 * this.current.length * 8) / BITS_PER_PEER) this.rotate(ts);
    return known;
  }

  /** Whether the peer is known, without noting it. */
  knows(peer: string): boolean {
    const [h1, h2] = hashPair(peer);
    return has(this.current, h1, h2) || has(this.previous, h1, h2);
  }
}
