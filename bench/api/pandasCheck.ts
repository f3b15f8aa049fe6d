/**
 * Manual check (not part of the test suite): the CSV export loads in pandas exactly as the
 * issue asks, `pandas.read_csv(url, index_col=0, parse_dates=True)`, straight from the URL,
 * and matches the JSON export value for value.
 *
 *   python3 -m venv bench/.work/venv-api && bench/.work/venv-api/bin/pip install pandas
 *   node_modules/.bin/tsx bench/api/pandasCheck.ts
 *
 * Prints pandas' view of the frame and one JSON line {ok, rows, columns, mismatches}.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureServices } from '@ipscope/testkit';
import type { SeriesResponseV1 } from '../../packages/api/src/index';
import type { Sample } from '@ipscope/timeseries';
import { startTestApi } from '../../apps/server/src/http/testing/harness';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const python = path.join(root, 'bench/.work/venv-api/bin/python');
if (!fs.existsSync(python)) throw new Error(`no pandas venv at ${python}; see the comment at the top of this file`);

const { redisUrl } = await ensureServices((line) => process.stderr.write(`${line}\n`));
const t = await startTestApi(redisUrl);
try {
  const T0 = 1_714_564_800;
  const samples: Sample[] = [];
  for (let i = 0; i < 120; i++) {
    const ts = T0 + i * 60;
    samples.push({ metric: 'conn.count.resp', entity: '2001:db8::1', ts, value: (i * 7) % 11 });
    samples.push({ metric: 'conn.bytes.resp', entity: '2001:db8::1', ts, value: 1_000_000_007 * (i % 3) });
    if (i % 4 === 0) samples.push({ metric: 'conn.responded', entity: '2001:db8::1', ts, value: 443 });
    if (i % 5 === 0) samples.push({ metric: 'conn.peer.resp', entity: '2001:db8::1', ts, value: i % 2 ? '10.0.0.7' : '2001:db8::cafe' });
    if (i % 6 === 0) samples.push({ metric: 'conn.state.resp', entity: '2001:db8::1', ts, value: i % 12 ? 'SF' : 'S0' });
  }
  await t.store.bulkInsert(samples);
  const query = `metrics=conn.count.resp,conn.bytes.resp,conn.responded,conn.state.resp&from=${T0}&to=${T0 + 7200}`;
  const ip = encodeURIComponent('2001:db8::1');
  const json = (await (await fetch(`${t.base}/api/ips/${ip}/export.json?${query}`)).json()) as SeriesResponseV1;
  const url = `${t.base}/api/ips/${ip}/export.csv?${query}`;
  const program = `
import json, sys, pandas
df = pandas.read_csv(sys.argv[1], index_col=0, parse_dates=True)
print(df.dtypes.to_string(), file=sys.stderr)
print(df.head(3).to_string(), file=sys.stderr)
print(json.dumps({"index": str(df.index.dtype), "columns": list(df.columns), "rows": len(df),
  "times": [int(t.timestamp()) for t in df.index], "values": {c: [None if pandas.isna(v) else float(v) for v in df[c]] for c in df.columns}}))
`;
  // Asynchronously: the server answering pandas runs in this process.
  const run = await promisify(execFile)(python, ['-c', program, url], { encoding: 'utf8' });
  process.stderr.write(run.stderr);
  const out = JSON.parse(run.stdout) as {
    index: string;
    columns: string[];
    rows: number;
    times: number[];
    values: Record<string, Array<number | null>>;
  };
  let mismatches = 0;
  for (const s of json.series) {
    s.points.forEach(([ts, value], i) => {
      if (out.times[i] !== ts) mismatches++;
      if (s.kind === 'number') {
        if (out.values[s.metric]?.[i] !== value) mismatches++;
      } else {
        for (const [label, count] of Object.entries(value as Record<string, number>)) if (out.values[`${s.metric}[${label}]`]?.[i] !== count) mismatches++;
      }
    });
  }
  const ok = mismatches === 0 && out.rows === 120 && out.index.startsWith('datetime64') && out.index.includes('UTC');
  process.stdout.write(`${JSON.stringify({ ok, index: out.index, rows: out.rows, columns: out.columns, mismatches })}\n`);
  if (!ok) process.exitCode = 1;
} finally {
  await t.close();
}
