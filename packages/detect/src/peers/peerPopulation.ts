import { StateDecodeError } from '../errors';
import { RUN_EDGES, RunTail } from './runTail';

const MAGIC = 0x51;
const VERSION = 1;

/**
 * How long new peers' runs go on across every host the detector sees: the beacon and
 * flow run counts of all hosts pooled, decayed with time. A host with little history of
 * its own borrows its continuation ratios from here (empirical Bayes), so a short
 * history does not make every long run look impossible. One small shared state
 * (≈ 200 bytes) per detector; with detectors sharded by host, each pools its own shard.
 */
export class PeerPopulation {
  readonly beacon: RunTail;
  readonly flow: RunTail;
  lastTs: number;

  constructor(beacon: RunTail, flow: RunTail, lastTs: number) {
    this.beacon = beacon;
    this.flow = flow;
    this.lastTs = lastTs;
  }

  static create(): PeerPopulation {
    return new PeerPopulation(RunTail.create(), RunTail.create(), Number.NEGATIVE_INFINITY);
  }

  /** Decays the pooled counts up to `ts` with the given half-life (seconds); earlier times are ignored. */
  advance(ts: number, halfLifeSeconds: number): void {
    if (!(ts > this.lastTs)) return;
    if (Number.isFinite(this.lastTs)) {
      const factor = Math.pow(2, -(ts - this.lastTs) / halfLifeSeconds);
      this.beacon.decay(factor);
      this.flow.decay(factor);
    }
    this.lastTs = ts;
  }

  encode(): Uint8Array {
    const out = new Uint8Array(4 + 8 + 2 * RUN_EDGES.length * 4);
    const view = new DataView(out.buffer);
    out[0] = MAGIC;
    out[1] = VERSION;
    view.setFloat64(4, this.lastTs, true);
    let at = 12;
    for (const tail of [this.beacon, this.flow]) {
      for (const x of tail.counts) {
        view.setFloat32(at, x, true);
        at += 4;
      }
    }
    return out;
  }

  static decode(bytes: Uint8Array): PeerPopulation {
    if (bytes.length !== 12 + 2 * RUN_EDGES.length * 4 || bytes[0] !== MAGIC || bytes[1] !== VERSION) {
      throw new StateDecodeError(`bytes are not a peer population state (${bytes.length} bytes, magic ${bytes[0]}, version ${bytes[1]})`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 12;
    const tail = (): RunTail => {
      const counts = new Float32Array(RUN_EDGES.length);
      for (let i = 0; i < counts.length; i++, at += 4) counts[i] = view.getFloat32(at, true);
      return new RunTail(counts);
    };
    const beacon = tail();
    const flow = tail();
    return new PeerPopulation(beacon, flow, view.getFloat64(4, true));
  }
}
