/**
 * Reads the fields and values of a small Redis hash from its `DUMP` payload, without Redis
 * turning every field into a reply of its own.
 *
 * A hash small enough for a listpack (every values hash of a chunk, with ipscope's settings and
 * mostly with Redis's defaults) is dumped as RDB type 16 (`RDB_TYPE_HASH_LISTPACK`, Redis 7.0 and
 * later): the listpack's own bytes, LZF-compressed when that saves space, followed by a 2-byte RDB
 * version and an 8-byte checksum. Copying those bytes costs Redis far less than answering an
 * HGETALL or HMGET field by field, and walking them here costs Node less than parsing thousands of
 * bulk strings. Anything else (a hash grown into a hash table, a format this code does not know)
 * gives `null`, and the caller reads the hash the ordinary way.
 *
 * Layouts, from the Redis sources (rdb.h, rdb.c, listpack.c, lzf_d.c):
 * - payload: type byte, value, RDB version (2 bytes LE), CRC64 (8 bytes);
 * - value of type 16: an RDB string — length-prefixed raw bytes, or `0xC3` + compressed length +
 *   uncompressed length + LZF data;
 * - listpack: total bytes (u32 LE), element count (u16 LE), entries, `0xFF`; an entry is an
 *   encoding byte (7-bit uint, 6/12/32-bit length strings, 13/16/24/32/64-bit ints), its data and
 *   a 1–5 byte back-length.
 */

const RDB_TYPE_HASH_LISTPACK = 16;
const RDB_ENC_LZF = 3;

/** An entry of the listpack: integers as numbers, strings as text. */
export type DumpEntry = number | string;

/** Fields and values in listpack order (`[field, value, field, value, ...]`), or null if unsupported. */
export function parseHashDump(payload: Buffer): DumpEntry[] | null {
  if (payload.length < 11 || payload[0] !== RDB_TYPE_HASH_LISTPACK) return null;
  const end = payload.length - 10;
  const blob = readRdbString(payload, 1, end);
  if (blob === null) return null;
  return parseListpack(blob);
}

/** The RDB string at `at` (raw or LZF), or null if it does not end exactly at `end`. */
function readRdbString(buf: Buffer, at: number, end: number): Buffer | null {
  const first = buf[at];
  if (first === undefined) return null;
  if (first >> 6 === 3) {
    if ((first & 0x3f) !== RDB_ENC_LZF) return null;
    const clen = readRdbLength(buf, at + 1);
    if (clen === null) return null;
    const ulen = readRdbLength(buf, clen.next);
    if (ulen === null || ulen.next + clen.value !== end) return null;
    return lzfDecompress(buf.subarray(ulen.next, end), ulen.value);
  }
  const len = readRdbLength(buf, at);
  if (len === null || len.next + len.value !== end) return null;
  return buf.subarray(len.next, end);
}

function readRdbLength(buf: Buffer, at: number): { value: number; next: number } | null {
  const b = buf[at];
  if (b === undefined) return null;
  switch (b >> 6) {
    case 0:
      return { value: b & 0x3f, next: at + 1 };
    case 1: {
      const b2 = buf[at + 1];
      return b2 === undefined ? null : { value: ((b & 0x3f) << 8) | b2, next: at + 2 };
    }
    default:
      if (b === 0x80 && at + 5 <= buf.length) return { value: buf.readUInt32BE(at + 1), next: at + 5 };
      return null;
  }
}

/** LZF (liblzf) decompression; null if the data is malformed or not exactly `size` bytes out. */
function lzfDecompress(input: Buffer, size: number): Buffer | null {
  const out = Buffer.allocUnsafe(size);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    const ctrl = input[ip++] as number;
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (op + run > size || ip + run > input.length) return null;
      input.copy(out, op, ip, ip + run);
      ip += run;
      op += run;
    } else {
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= input.length) return null;
        len += input[ip++] as number;
      }
      if (ip >= input.length) return null;
      let ref = op - ((ctrl & 0x1f) << 8) - 1 - (input[ip++] as number);
      len += 2;
      if (ref < 0 || op + len > size) return null;
      // byte by byte: a back reference may overlap what it writes
      for (let k = 0; k < len; k++) out[op++] = out[ref++] as number;
    }
  }
  return op === size ? out : null;
}

function backlenSize(entryLength: number): number {
  if (entryLength <= 127) return 1;
  if (entryLength < 16_383) return 2;
  if (entryLength < 2_097_151) return 3;
  if (entryLength < 268_435_455) return 4;
  return 5;
}

/** Entries of a listpack, or null if malformed. */
function parseListpack(lp: Buffer): DumpEntry[] | null {
  if (lp.length < 7 || lp.readUInt32LE(0) !== lp.length) return null;
  const out: DumpEntry[] = [];
  let p = 6;
  for (;;) {
    const b = lp[p];
    if (b === undefined) return null;
    if (b === 0xff) break;
    let value: DumpEntry;
    let len: number;
    if (b < 0x80) {
      value = b;
      len = 1;
    } else if (b >> 6 === 2) {
      const n = b & 0x3f;
      value = lp.toString('utf8', p + 1, p + 1 + n);
      len = 1 + n;
    } else if (b >> 5 === 6) {
      const v = ((b & 0x1f) << 8) | (lp[p + 1] as number);
      value = v >= 4096 ? v - 8192 : v;
      len = 2;
    } else if (b >> 4 === 14) {
      const n = ((b & 0x0f) << 8) | (lp[p + 1] as number);
      value = lp.toString('utf8', p + 2, p + 2 + n);
      len = 2 + n;
    } else {
      switch (b) {
        case 0xf0: {
          const n = lp.readUInt32LE(p + 1);
          value = lp.toString('utf8', p + 5, p + 5 + n);
          len = 5 + n;
          break;
        }
        case 0xf1:
          value = lp.readInt16LE(p + 1);
          len = 3;
          break;
        case 0xf2:
          value = lp.readIntLE(p + 1, 3);
          len = 4;
          break;
        case 0xf3:
          value = lp.readInt32LE(p + 1);
          len = 5;
          break;
        case 0xf4: {
          const big = lp.readBigInt64LE(p + 1);
          // beyond 2^53 a number would round: keep the exact digits as text
          value = big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(big) : big.toString();
          len = 9;
          break;
        }
        default:
          return null;
      }
    }
    p += len + backlenSize(len);
    if (p > lp.length - 1) return null;
    out.push(value);
  }
  return p === lp.length - 1 && out.length % 2 === 0 ? out : null;
}
