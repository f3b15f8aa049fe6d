import type { FormatName } from './decodeResult';
import { isObject, type JsonObject } from './input';

const ZEEK_DIRECTIVES = ['#separator', '#set_separator', '#empty_field', '#unset_field', '#path', '#open', '#fields', '#types', '#close'];

/**
 * Guesses the format of an archive from one of its lines (best: the first).
 * Returns `zeek-tsv` for a Zeek header line, `zeek` / `suricata` / `goflow2`
 * for a JSON record with that format's tell-tale fields, `undefined` when it
 * cannot tell (the caller then needs an explicit format or a generic mapping).
 * Never throws.
 */
export function detectFormat(line: string | Uint8Array): Exclude<FormatName, 'generic'> | undefined {
  let text: string;
  try {
    text = typeof line === 'string' ? line : new TextDecoder('utf-8', { fatal: true }).decode(line);
  } catch {
    return undefined;
  }
  text = text.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('#')) return ZEEK_DIRECTIVES.some((d) => text.startsWith(d)) ? 'zeek-tsv' : undefined;
  if (!text.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  if (typeof value['event_type'] === 'string' && value['timestamp'] !== undefined) return 'suricata';
  if (looksLikeZeek(value)) return 'zeek';
  for (const inner of Object.values(value)) {
    if (isObject(inner) && looksLikeZeek(inner)) return 'zeek';
  }
  if (value['src_addr'] !== undefined || value['dst_addr'] !== undefined || value['time_flow_start_ns'] !== undefined) {
    return 'goflow2';
  }
  return undefined;
}

function looksLikeZeek(record: JsonObject): boolean {
  if (record['ts'] === undefined) return false;
  const id = record['id'];
  return record['id.orig_h'] !== undefined || (isObject(id) && id['orig_h'] !== undefined);
}
