import type { DecodeResult } from './decodeResult';
import { SkipSignal, guard } from './decodeFault';
import { isObject, parseJsonObject, type JsonObject } from './input';
import { zeekConnEvent, type ZeekConnField } from './zeekConn';

const CONN_TAG = /^conn(?:-\d+)?$/;

/**
 * Decodes one Zeek `conn.log` record written as JSON (`LogAscii::use_json` or
 * the zeek-kafka writer).
 *
 * Accepted shapes:
 * - a flat record: `{"ts": 1591367999.305988, "id.orig_h": "10.0.0.1", ...}`;
 * - the same with nested ids: `{"id": {"orig_h": ...}}`;
 * - the zeek-kafka `tag_json` envelope: `{"conn": {...}}` (also `conn-2`, and
 *   any extra root values from `Kafka::additional_message_values`).
 *
 * `ts` may be epoch seconds (`JSON::TS_EPOCH`), milliseconds
 * (`JSON::TS_MILLIS`, recognised by size) or ISO 8601 (`JSON::TS_ISO8601`).
 * Records of other log streams (an envelope tag other than conn, or a `_path`
 * other than conn) are skipped with reason `other_log`, not failed.
 */
export function decodeZeekConnJson(input: Uint8Array | string): DecodeResult {
  return guard('zeek', () => {
    const record = connRecord(parseJsonObject(input));
    const id = record['id'];
    // flat (`"id.orig_h"` keys, the zeek-kafka writer's shape): fields read straight from the record
    if (id === undefined) return zeekConnEvent((field) => record[field]);
    const ids = isObject(id) ? id : undefined;
    return zeekConnEvent((field) => readJsonField(record, ids, field));
  });
}

function readJsonField(record: JsonObject, id: JsonObject | undefined, field: ZeekConnField): unknown {
  const flat = record[field];
  if (flat !== undefined || id === undefined || !field.startsWith('id.')) return flat;
  return id[field.slice(3)];
}

function connRecord(root: JsonObject): JsonObject {
  if (root['ts'] !== undefined) {
    const path = root['_path'];
    if (typeof path === 'string' && !CONN_TAG.test(path)) {
      throw new SkipSignal('other_log', `Zeek ${path} record, not conn`);
    }
    return root;
  }
  for (const key of Object.keys(root)) {
    const inner = root[key];
    if (!isObject(inner) || inner['ts'] === undefined) continue;
    if (CONN_TAG.test(key) || inner['conn_state'] !== undefined) return inner;
    throw new SkipSignal('other_log', `Zeek ${key} record, not conn`);
  }
  return root; // no envelope: the field readers report what is missing
}
