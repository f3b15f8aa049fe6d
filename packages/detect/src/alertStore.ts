import type { Cluster, Redis } from 'ioredis';
import type { Alert, AlertEvent } from './alert';
import type { Severity } from './alertTracker';
import { AlertNotFoundError, DetectError, InvalidOptionError } from './errors';

/** Options of {@link AlertStore}. */
export interface AlertStoreOptions {
  /** Key prefix; all keys share the hash tag `{prefix}` (one Redis Cluster slot). Default `ipscope:alerts`. */
  prefix: string;
  /** Approximate number of events kept in the stream (XADD MAXLEN ~). Default 100000. */
  streamLength: number;
}

export const defaultAlertStoreOptions: AlertStoreOptions = { prefix: 'ipscope:alerts', streamLength: 100_000 };

/** Filters for {@link AlertStore.list}. All are optional and combine with AND. */
export interface AlertQuery {
  entity?: string;
  metric?: string;
  severity?: Severity | readonly Severity[];
  /** `active` episodes are still anomalous; `ended` ones are over. */
  state?: 'active' | 'ended';
  /** Analyst workflow: `new` (neither acknowledged nor resolved), `acknowledged` (not resolved) or `resolved`. */
  status?: 'new' | 'acknowledged' | 'resolved';
  /** Alerts starting at or after / at or before these epoch seconds. */
  from?: number;
  to?: number;
  /** At most this many, newest start first. Default 100, at most 1000. */
  limit?: number;
}

/** One event read back from the stream, with its stream id (resume from it). */
export interface StoredAlertEvent {
  streamId: string;
  event: AlertEvent;
}

/** Redis failed; retry later. */
export class AlertStoreError extends DetectError {
  constructor(message: string, cause: unknown) {
    super('alert_store', message, { retriable: true, cause });
  }
}

const MERGE_SCRIPT = `
local kind = ARGV[1]
local id = ARGV[2]
local incoming = cjson.decode(ARGV[3])
local raw = redis.call('HGET', KEYS[1], id)
local alert
if raw then
  alert = cjson.decode(raw)
  if kind == 'open' or incoming.lastTs <= alert.lastTs then return false end
  if kind == 'close' then
    alert.state = 'ended'
    alert['end'] = incoming['end']
    alert.lastTs = incoming.lastTs
    alert.peakScore = incoming.peakScore
    alert.severity = incoming.severity
  else
    for _, f in ipairs({'severity', 'lastTs', 'score', 'peakScore', 'view', 'direction', 'expected', 'observed', 'lower', 'upper', 'explanation'}) do
      alert[f] = incoming[f]
    end
  end
else
  alert = incoming
end
local json = cjson.encode(alert)
redis.call('HSET', KEYS[1], id, json)
redis.call('ZADD', KEYS[3], alert.start, id)
redis.call('ZADD', KEYS[4], alert.start, id)
redis.call('ZADD', KEYS[5], alert.start, id)
if alert.state == 'active' then redis.call('ZADD', KEYS[6], alert.start, id) else redis.call('ZREM', KEYS[6], id) end
return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'type', kind, 'id', id, 'alert', json)
`;

const ACTION_SCRIPT = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return false end
local alert = cjson.decode(raw)
local field = ARGV[2]
if type(alert[field]) == 'table' then return {0, raw} end
local action = {by = ARGV[3], at = tonumber(ARGV[4])}
alert[field] = action
if field == 'resolved' and type(alert.acknowledged) ~= 'table' then alert.acknowledged = action end
local json = cjson.encode(alert)
redis.call('HSET', KEYS[1], ARGV[1], json)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'type', ARGV[6], 'id', ARGV[1], 'alert', json)
return {1, json}
`;

/**
 * Alerts in Redis: the current state of every alert, indexes to list them by IP,
 * metric, state and time, and a stream of every change for live delivery.
 *
 * Keys (all with the hash tag `{prefix}`, so they sit in one Cluster slot and each
 * change is one atomic Lua call — nothing is ever half-written):
 * - `{prefix}:alerts` — hash: alert id → alert JSON;
 * - `{prefix}:stream` — stream of events (`type`, `id`, `alert`), capped;
 * - `{prefix}:idx:all`, `:idx:entity:<ip>`, `:idx:metric:<m>`, `:idx:active` — sorted
 *   sets by start time.
 *
 * Applying events is idempotent: a replayed `open`, or an event not newer than what is
 * stored, changes nothing and adds nothing to the stream.
 */
export class AlertStore {
  private readonly redis: Redis | Cluster;
  readonly options: AlertStoreOptions;

  constructor(redis: Redis | Cluster, options: Partial<AlertStoreOptions> = {}) {
    const merged = { ...defaultAlertStoreOptions, ...options };
    if (merged.prefix === '' || /[{}]/.test(merged.prefix)) {
      throw new InvalidOptionError('prefix', `must be non-empty without braces, e.g. "ipscope:alerts" (got ${JSON.stringify(merged.prefix)})`);
    }
    if (!Number.isInteger(merged.streamLength) || merged.streamLength < 100) {
      throw new InvalidOptionError('streamLength', `must be an integer ≥ 100, e.g. 100000 (got ${merged.streamLength})`);
    }
    this.redis = redis;
    this.options = merged;
  }

  private key(suffix: string): string {
    return `{${this.options.prefix}}:${suffix}`;
  }

  /** Stream key, for consumers that read it directly. */
  get streamKey(): string {
    return this.key('stream');
  }

  private async guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof DetectError) throw error;
      throw new AlertStoreError(`Redis failed while ${what}: ${(error as Error).message}`, error);
    }
  }

  /**
   * Stores detector events (open/update/close) in order. Returns, per event, the
   * stream id it was published under, or null when it changed nothing (a replay).
   */
  async apply(events: readonly AlertEvent[]): Promise<(string | null)[]> {
    return this.guard('storing alert events', () =>
      Promise.all(
        events.map(async (event) => {
          if (event.type === 'acknowledge' || event.type === 'resolve') {
            throw new InvalidOptionError('event.type', `${event.type} is recorded with acknowledge()/resolve(), not apply()`);
          }
          const a = event.alert;
          const result = await this.redis.eval(
            MERGE_SCRIPT,
            6,
            this.key('alerts'),
            this.key('stream'),
            this.key('idx:all'),
            this.key(`idx:entity:${a.entity}`),
            this.key(`idx:metric:${a.metric}`),
            this.key('idx:active'),
            event.type,
            a.id,
            JSON.stringify(a),
            this.options.streamLength,
          );
          return typeof result === 'string' ? result : null;
        }),
      ),
    );
  }

  /** The alert with this id, or undefined. */
  async get(id: string): Promise<Alert | undefined> {
    const raw = await this.guard('reading an alert', () => this.redis.hget(this.key('alerts'), id));
    return raw === null ? undefined : (JSON.parse(raw) as Alert);
  }

  /**
   * Records that `who` acknowledged the alert now. The first acknowledgement is kept;
   * acknowledging again returns the alert unchanged. Unknown id → {@link AlertNotFoundError}.
   */
  async acknowledge(id: string, who: string, at: number = Date.now()): Promise<Alert> {
    return this.act(id, 'acknowledged', 'acknowledge', who, at);
  }

  /** Records that `who` resolved the alert now (and acknowledged it, if nobody had). */
  async resolve(id: string, who: string, at: number = Date.now()): Promise<Alert> {
    return this.act(id, 'resolved', 'resolve', who, at);
  }

  private async act(id: string, field: 'acknowledged' | 'resolved', type: 'acknowledge' | 'resolve', who: string, at: number): Promise<Alert> {
    if (typeof who !== 'string' || who.trim() === '' || who.length > 200) {
      throw new InvalidOptionError('who', `must name a person or system in 1–200 characters (got ${JSON.stringify(who)})`);
    }
    if (!Number.isFinite(at)) throw new InvalidOptionError('at', `must be epoch milliseconds (got ${at})`);
    const result = await this.guard(`recording ${type}`, () =>
      this.redis.eval(ACTION_SCRIPT, 2, this.key('alerts'), this.key('stream'), id, field, who.trim(), at, this.options.streamLength, type),
    );
    if (!Array.isArray(result)) throw new AlertNotFoundError(id);
    return JSON.parse(String(result[1])) as Alert;
  }

  /** Alerts matching the query, newest start first. */
  async list(query: AlertQuery = {}): Promise<Alert[]> {
    const limit = query.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InvalidOptionError('limit', `must be an integer in [1, 1000] (got ${limit})`);
    const index =
      query.entity !== undefined
        ? this.key(`idx:entity:${query.entity}`)
        : query.state === 'active'
          ? this.key('idx:active')
          : query.metric !== undefined
            ? this.key(`idx:metric:${query.metric}`)
            : this.key('idx:all');
    const severities = query.severity === undefined ? undefined : new Set(typeof query.severity === 'string' ? [query.severity] : query.severity);
    const max = query.to === undefined ? '+inf' : String(query.to);
    const min = query.from === undefined ? '-inf' : String(query.from);
    const out: Alert[] = [];
    const page = 200;
    for (let offset = 0; out.length < limit; offset += page) {
      const ids = await this.guard('listing alerts', () => this.redis.zrevrangebyscore(index, max, min, 'LIMIT', offset, page));
      if (ids.length === 0) break;
      const raws = await this.guard('listing alerts', () => this.redis.hmget(this.key('alerts'), ...ids));
      for (const raw of raws) {
        if (raw === null) continue;
        const alert = JSON.parse(raw) as Alert;
        if (query.entity !== undefined && alert.entity !== query.entity) continue;
        if (query.metric !== undefined && alert.metric !== query.metric) continue;
        if (query.state !== undefined && alert.state !== query.state) continue;
        if (severities !== undefined && !severities.has(alert.severity)) continue;
        if (query.status !== undefined && statusOf(alert) !== query.status) continue;
        out.push(alert);
        if (out.length === limit) break;
      }
      if (ids.length < page) break;
    }
    return out;
  }

  /**
   * Reads events after `afterId` (`'0'` for the beginning, `'$'` for only new ones).
   * With `blockMs`, waits up to that long for new events: use a connection of its
   * own for blocking reads (e.g. `redis.duplicate()`), as Redis requires.
   */
  async readEvents(afterId = '0', options: { count?: number; blockMs?: number; connection?: Redis | Cluster } = {}): Promise<StoredAlertEvent[]> {
    const client = options.connection ?? this.redis;
    const count = options.count ?? 100;
    const reply = await this.guard('reading the alert stream', () =>
      options.blockMs === undefined
        ? client.xread('COUNT', count, 'STREAMS', this.key('stream'), afterId)
        : client.xread('COUNT', count, 'BLOCK', options.blockMs, 'STREAMS', this.key('stream'), afterId),
    );
    if (reply === null) return [];
    const out: StoredAlertEvent[] = [];
    for (const [, entries] of reply) {
      for (const [streamId, fields] of entries) {
        const map = new Map<string, string>();
        for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
        out.push({ streamId, event: { type: map.get('type') as AlertEvent['type'], alert: JSON.parse(map.get('alert') ?? 'null') as Alert } });
      }
    }
    return out;
  }

  /** Deletes every key of this store (tests and tear-down). */
  async clear(): Promise<void> {
    const ids = await this.redis.hkeys(this.key('alerts'));
    const raws = ids.length === 0 ? [] : await this.redis.hmget(this.key('alerts'), ...ids);
    const keys = new Set<string>([this.key('alerts'), this.key('stream'), this.key('idx:all'), this.key('idx:active')]);
    for (const raw of raws) {
      if (raw === null) continue;
      const alert = JSON.parse(raw) as Alert;
      keys.add(this.key(`idx:entity:${alert.entity}`));
      keys.add(this.key(`idx:metric:${alert.metric}`));
    }
    await this.redis.del(...keys);
  }
}

/** Workflow status of an alert. */
export function statusOf(alert: Alert): 'new' | 'acknowledged' | 'resolved' {
  if (alert.resolved !== null) return 'resolved';
  if (alert.acknowledged !== null) return 'acknowledged';
  return 'new';
}
