import { MAX_INPUT_BYTES } from './decodeResult';
import { DecodeFault } from './decodeFault';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Turns a message into text, raising `empty`, `too_large` or `not_utf8`. */
export function inputText(input: Uint8Array | string): string {
  if (typeof input === 'string') {
    if (input.length > MAX_INPUT_BYTES) throw tooLarge(input.length);
    return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  }
  if (input.byteLength > MAX_INPUT_BYTES) throw tooLarge(input.byteLength);
  try {
    return utf8.decode(input);
  } catch {
    throw new DecodeFault('not_utf8', 'message is not valid UTF-8 text');
  }
}

function tooLarge(size: number): DecodeFault {
  return new DecodeFault('too_large', `message is ${size} long, over the limit of ${MAX_INPUT_BYTES} bytes`);
}

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** Parses one JSON object from a message, raising `empty`, `bad_json` or `not_object`. */
export function parseJsonObject(input: Uint8Array | string): JsonObject {
  const text = inputText(input);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (caught) {
    // Only a failed parse is checked for blankness (no trimmed copy of every message).
    if (text.trim().length === 0) throw new DecodeFault('empty', 'message is empty');
    const detail = caught instanceof Error ? caught.message : String(caught);
    throw new DecodeFault('bad_json', `message is not valid JSON (${detail})`);
  }
  if (!isObject(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new DecodeFault('not_object', `message is ${what}, expected a JSON object`);
  }
  return value;
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
