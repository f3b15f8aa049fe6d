import { oneIn } from '../alert';
import type { PeerEvidence } from './peerModel';

function bytesText(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toPrecision(2)} ${units[unit]}`;
}

function durationText(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'minute' : `${seconds / 60} minutes`;
  return `${seconds} s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * One sentence for the analyst about a peer alert, e.g. "new peer 203.0.113.7
 * contacted every minute for 4 minutes, 1 connection each, 1.6 kB in all; this host's
 * new peers seldom repeat more than 2 times (peer beacon view, a 1-in-10^5 run)", or on
 * half-hour buckets "new peer 203.0.113.7 contacted in 6 buckets of 30 minutes in a row
 * (3 hours), 60 connections each, …".
 */
export function explainPeer(entity: string, evidence: PeerEvidence, step: number): string {
  const rarity = `${oneIn(evidence.p)} run for ${entity}`;
  const alone = evidence.rareBelow === 2 ? ' (no other host contacted it)' : evidence.rareBelow > 2 ? ` (fewer than ${evidence.rareBelow} hosts contacted it)` : '';
  if (evidence.view === 'peerBeacon') {
    const every = durationText(evidence.gap * step);
    const span = durationText((evidence.level - 1) * evidence.gap * step + step);
    // On buckets wider than a minute a contact is a bucket with the same number of connections, not one connection.
    const when =
      step <= 60
        ? `contacted every ${every} for ${span} (${plural(evidence.level, 'contact')})`
        : `contacted in ${plural(evidence.level, 'bucket')} of ${durationText(step)}${evidence.gap > 1 ? `, one bucket in ${evidence.gap},` : ' in a row'} (${span})`;
    return (
      `${entity}: new peer ${evidence.peer}${alone} ${when}, ` +
      `${plural(evidence.connsEach, 'connection')} each, ${bytesText(evidence.bytes)} in all; ` +
      `its new peers usually repeat at most ${plural(evidence.usualLevel, 'time')} (peer beacon view: ${rarity})`
    );
  }
  return (
    `${entity}: new peer ${evidence.peer}${alone} took ${bytesText(evidence.bytes)} over ${plural(evidence.level, 'heavy bucket')}${step <= 60 ? '' : ` of ${durationText(step)}`} in a row ` +
    `(each at least ${bytesText(evidence.heavyBytes)}, heavy for this host's new peers); ` +
    `its new peers usually stay heavy at most ${plural(evidence.usualLevel, 'bucket')} (peer flow view: ${rarity})`
  );
}
