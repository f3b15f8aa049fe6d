"""Writes samples with kairos's own bulk_insert, the way a kairos user would, and times it.

Usage: python kairos_bench.py PORT SAMPLES.json BATCH
SAMPLES.json is a list of [kairos type, series name, unix ts, value]. Samples are grouped into
kairos's bulk_insert format ({ts: {name: [values]}} per type) before the clock starts; only the
bulk_insert calls are timed. Prints one JSON object: samples, seconds.
"""
import json
import sys
import time

from redis import Redis
from kairos import Timeseries


def intervals():
    # the seed's intervals; kairos mutates the dict, so each Timeseries gets its own
    return {'days': {'step': 60, 'steps': 2880}, 'months': {'step': 1800, 'steps': 4032}}


def main():
    port, path, batch = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    client = Redis(host='127.0.0.1', port=port)
    with open(path) as f:
        samples = json.load(f)
    series = {t: Timeseries(client, type=t, prefix='kairos', intervals=intervals()) for t in {s[0] for s in samples}}
    batches = []
    for i in range(0, len(samples), batch):
        per_type = {}
        for kind, name, ts, value in samples[i:i + batch]:
            per_type.setdefault(kind, {}).setdefault(ts, {}).setdefault(name, []).append(value)
        batches.append(per_type)
    start = time.perf_counter()
    for per_type in batches:
        for kind, inserts in per_type.items():
            series[kind].bulk_insert(inserts)
    seconds = time.perf_counter() - start
    print(json.dumps({'samples': len(samples), 'seconds': seconds}))


if __name__ == '__main__':
    main()
