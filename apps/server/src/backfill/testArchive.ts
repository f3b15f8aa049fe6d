import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { NetEvent } from '@ipscope/events';
import type { BackfillSkipReason, DeadLetterReason } from './backfillStats';

/*
 * Archives for the backfill's integration tests, written to a temp folder
 * together with what the backfill must make of each line. The expectations
 * come from how the lines were generated, not from running a decoder.
 */

/** What one archive line must become. */
export type LineExpectation =
  | { kind: 'event'; event: Partial<NetEvent> }
  | { kind: 'annotation'; ips: string[]; signature: string }
  | { kind: 'skip'; reason: BackfillSkipReason }
  | { kind: 'dead'; reason: DeadLetterReason; raw: Buffer };

/** An archive on disk and the expected outcome of each of its lines, by `<file>:<line>`. */
export interface TestArchive {
  root: string;
  lines: Map<string, LineExpectation>;
}

/** Builds lines of one file and records what each must become. */
class FileWriter {
  private readonly chunks: Buffer[] = [];
  private no = 0;

  constructor(
    private readonly archive: TestArchive,
    readonly file: string,
    private readonly eol = '\n',
  ) {}

  line(text: string | Buffer, expectation: LineExpectation): void {
    this.no++;
    this.chunks.push(typeof text === 'string' ? Buffer.from(text) : text, Buffer.from(this.eol));
    this.archive.lines.set(`${this.file}:${this.no}`, expectation);
  }

  write(options: { gzip?: boolean } = {}): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const body = Buffer.concat(this.chunks);
    writeFileSync(this.file, options.gzip ? gzipSync(body) : body);
  }
}

const TSV_FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'orig_pkts', 'resp_pkts'];
const TSV_TYPES = ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'interval', 'count', 'count', 'string', 'count', 'count'];

function tsvHeader(w: FileWriter, logPath: string): void {
  const header = (text: string) => w.line(text, { kind: 'skip', reason: 'header' });
  header('#separator \\x09');
  header('#set_separator\t,');
  header('#empty_field\t(empty)');
  header('#unset_field\t-');
  header(`#path\t${logPath}`);
  header('#open\t2024-05-01-00-00-00');
  header(`#fields\t${(logPath === 'conn' ? TSV_FIELDS : ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'query']).join('\t')}`);
  header(`#types\t${(logPath === 'conn' ? TSV_TYPES : ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string']).join('\t')}`);
}

/** A Zeek conn event with every field set from `i`; the TSV and JSON writers print exactly these values. */
function zeekEvent(i: number, base: number): NetEvent {
  return {
    ts: base + i + 0.25,
    origIp: `10.1.${i % 7}.${(i % 250) + 1}`,
    origPort: 1024 + (i % 60000),
    respIp: i % 3 === 0 ? `2001:db8::${(i % 9) + 1}` : `192.168.${i % 5}.${(i % 200) + 1}`,
    respPort: i % 2 === 0 ? 443 : 53,
    proto: i % 2 === 0 ? 'tcp' : 'udp',
    service: i % 2 === 0 ? 'ssl' : 'dns',
    origBytes: i * 11,
    respBytes: i * 101,
    origPkts: (i % 9) + 1,
    respPkts: i % 4,
    duration: (i % 8) * 0.5,
    connState: i % 2 === 0 ? 'SF' : 'S0',
    source: 'zeek',
  };
}

function zeekTsvRow(e: NetEvent, i: number): string {
  return [
    e.ts.toFixed(6),
    `C${i}`,
    e.origIp,
    e.origPort,
    e.respIp,
    e.respPort,
    e.proto,
    e.service,
    (e.duration ?? 0).toFixed(6),
    e.origBytes,
    e.respBytes,
    e.connState,
    e.origPkts,
    e.respPkts,
  ].join('\t');
}

function zeekJsonRow(e: NetEvent, i: number): string {
  return JSON.stringify({
    ts: e.ts,
    uid: `C${i}`,
    'id.orig_h': e.origIp,
    'id.orig_p': e.origPort,
    'id.resp_h': e.respIp,
    'id.resp_p': e.respPort,
    proto: e.proto,
    service: e.service,
    duration: e.duration,
    orig_bytes: e.origBytes,
    resp_bytes: e.respBytes,
    conn_state: e.connState,
    orig_pkts: e.origPkts,
    resp_pkts: e.respPkts,
  });
}

/**
 * A small archive with every case the backfill must handle: Zeek TSV with its
 * header, a Zeek dns.log beside it, Zeek JSON gzipped two folders down, a
 * CRLF file, Suricata EVE (flows, an alert, a dns event), a README, blank
 * lines and malformed lines of each kind, one over 1 MiB.
 */
export function writeMixedArchive(root: string): TestArchive {
  const archive: TestArchive = { root, lines: new Map() };

  const tsv = new FileWriter(archive, path.join(root, 'zeek', 'conn.log'));
  tsvHeader(tsv, 'conn');
  for (let i = 0; i < 30; i++) {
    const event = zeekEvent(i, 1714521600);
    tsv.line(zeekTsvRow(event, i), { kind: 'event', event });
    if (i === 10) tsv.line('1714521600.000000\tCx\t10.0.0.1\t1', { kind: 'dead', reason: 'column_count', raw: Buffer.from('1714521600.000000\tCx\t10.0.0.1\t1') });
    if (i === 20) {
      const bad = zeekTsvRow({ ...zeekEvent(i, 1714521600), origIp: '10.0.0.999' }, i);
      tsv.line(bad, { kind: 'dead', reason: 'bad_ip', raw: Buffer.from(bad) });
    }
  }
  tsv.line('', { kind: 'skip', reason: 'blank' });
  tsv.line('#close\t2024-05-01-01-00-00', { kind: 'skip', reason: 'header' });
  tsv.write();

  const dns = new FileWriter(archive, path.join(root, 'zeek', 'dns.log'));
  tsvHeader(dns, 'dns');
  for (let i = 0; i < 3; i++) dns.line(`1714521600.${i}\tD${i}\t10.0.0.1\t5353\t10.0.0.53\t53\tudp\texample.com`, { kind: 'skip', reason: 'other_log' });
  dns.write();

  const json = new FileWriter(archive, path.join(root, 'zeek', '2024', '05', 'conn.json.gz'));
  for (let i = 0; i < 25; i++) {
    const event = zeekEvent(i, 1714608000);
    json.line(zeekJsonRow(event, i), { kind: 'event', event });
    if (i === 5) json.line('{"ts": 1714608000.5, "id.orig_h": ', { kind: 'dead', reason: 'bad_json', raw: Buffer.from('{"ts": 1714608000.5, "id.orig_h": ') });
    if (i === 15) {
      const partial = '{"ts":1714608000,"id.orig_h":"10.0.0.1","proto":"tcp"}';
      json.line(partial, { kind: 'dead', reason: 'missing_field', raw: Buffer.from(partial) });
    }
    if (i === 20) json.line('   ', { kind: 'skip', reason: 'blank' });
  }
  json.write({ gzip: true });

  const crlf = new FileWriter(archive, path.join(root, 'zeek', 'windows', 'conn-crlf.json'), '\r\n');
  for (let i = 0; i < 3; i++) {
    const event = zeekEvent(i + 100, 1714694400);
    crlf.line(zeekJsonRow(event, i), { kind: 'event', event });
  }
  crlf.write();

  const eve = new FileWriter(archive, path.join(root, 'suricata', 'eve.json'));
  for (let i = 0; i < 10; i++) {
    const src = `172.16.0.${i + 1}`;
    const dest = `172.16.9.${i + 1}`;
    const record = {
      timestamp: `2024-05-01T00:00:${String(10 + i).padStart(2, '0')}.000000+0000`,
      event_type: 'flow',
      src_ip: src,
      src_port: 50000 + i,
      dest_ip: dest,
      dest_port: 8080,
      proto: 'TCP',
      app_proto: 'http',
      flow: {
        pkts_toserver: 3,
        pkts_toclient: 2,
        bytes_toserver: 300 + i,
        bytes_toclient: 900 + i,
        start: `2024-05-01T00:00:0${i % 10}.000000+0000`,
        end: `2024-05-01T00:00:0${i % 10}.500000+0000`,
      },
      tcp: { tcp_flags_ts: '1b', tcp_flags_tc: '1b' },
    };
    eve.line(JSON.stringify(record), {
      kind: 'event',
      event: { origIp: src, respIp: dest, respPort: 8080, proto: 'tcp', origBytes: 300 + i, respBytes: 900 + i, connState: 'SF', source: 'suricata' },
    });
    if (i === 3) {
      const alert = {
        timestamp: '2024-05-01T00:00:30.000000+0000',
        event_type: 'alert',
        src_ip: '172.16.0.66',
        src_port: 4444,
        dest_ip: '172.16.9.1',
        dest_port: 22,
        proto: 'TCP',
        alert: { action: 'blocked', signature_id: 2001219, signature: 'ET SCAN Potential SSH Scan', category: 'Attempted Information Leak', severity: 1 },
      };
      eve.line(JSON.stringify(alert), { kind: 'annotation', ips: ['172.16.0.66', '172.16.9.1'], signature: 'ET SCAN Potential SSH Scan' });
      eve.line('{"timestamp":"2024-05-01T00:00:31.000000+0000","event_type":"dns","src_ip":"172.16.0.1","dest_ip":"172.16.0.53"}', {
        kind: 'skip',
        reason: 'event_type',
      });
    }
    if (i === 6) {
      const noSrc = JSON.stringify({ ...record, src_ip: undefined });
      eve.line(noSrc, { kind: 'dead', reason: 'missing_field', raw: Buffer.from(noSrc) });
      const notUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
      eve.line(notUtf8, { kind: 'dead', reason: 'not_utf8', raw: notUtf8 });
      const huge = `{"event_type":"flow","pad":"${'x'.repeat(1024 * 1024 + 10)}"}`;
      eve.line(huge, { kind: 'dead', reason: 'too_large', raw: Buffer.from(huge).subarray(0, 64 * 1024) });
    }
  }
  eve.write();

  const readme = new FileWriter(archive, path.join(root, 'README.txt'));
  readme.line('Archive of sensor logs, May 2024.', { kind: 'skip', reason: 'unknown_format' });
  readme.line('Ask the SOC before deleting.', { kind: 'skip', reason: 'unknown_format' });
  readme.write();

  return archive;
}

/**
 * A larger archive of Zeek JSON (plain and gzipped files) with a malformed
 * line every `badEvery` lines: long enough to interrupt a backfill half-way.
 */
export function writeBulkArchive(root: string, options: { files: number; linesPerFile: number; badEvery: number }): TestArchive {
  const archive: TestArchive = { root, lines: new Map() };
  let n = 0;
  for (let f = 0; f < options.files; f++) {
    const name = path.join(root, `day-${String(f).padStart(2, '0')}`, f % 2 === 0 ? 'conn.log' : 'conn.log.gz');
    const w = new FileWriter(archive, name);
    for (let i = 0; i < options.linesPerFile; i++, n++) {
      if (i > 0 && i % options.badEvery === 0) {
        w.line(`{"ts": ${n}, "broken`, { kind: 'dead', reason: 'bad_json', raw: Buffer.from(`{"ts": ${n}, "broken`) });
      } else {
        const event = zeekEvent(n, 1714521600);
        w.line(zeekJsonRow(event, n), { kind: 'event', event });
      }
    }
    w.write({ gzip: f % 2 === 1 });
  }
  return archive;
}
