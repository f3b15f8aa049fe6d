import type { HostMinute, Incident, IncidentType, TrafficSimulator } from './trafficSimulator';
import { INCIDENT_TYPES } from './trafficSimulator';

const MINUTE = 60;

function logUniform(sim: TrafficSimulator, lo: number, hi: number): number {
  return Math.exp(sim.rng.between(Math.log(lo), Math.log(hi)));
}

/**
 * Places `perType` incidents of each type on distinct hosts inside [from, to).
 * DDoS targets are servers; a host "going silent" is one that is normally active then
 * (a server, or a workstation on a weekday afternoon): silence of an idle host is not an incident.
 */
export function planIncidents(sim: TrafficSimulator, perType: number, from: number, to: number): Incident[] {
  const r = sim.rng;
  const free = new Set(sim.hosts.map((_, i) => i));
  const incidents: Incident[] = [];
  for (const type of INCIDENT_TYPES) {
    for (let k = 0; k < perType; k++) {
      const candidates = [...free].filter((h) => {
        const role = sim.role(h);
        if (type === 'ddos') return role === 'server';
        if (type === 'silence') return role === 'server' || role === 'workstation';
        return true;
      });
      if (candidates.length === 0) break;
      const host = r.pick(candidates);
      free.delete(host);
      const duration = durationOf(sim, type);
      let start = from + Math.floor(r.between(0, (to - from - duration - 6 * 3600) / MINUTE)) * MINUTE;
      if (type === 'silence' && sim.role(host) === 'workstation') {
        // Silence is only an incident when the host is normally busy: pick a time when it is.
        let peak = 0;
        for (let t = from; t < to; t += 1800) peak = Math.max(peak, sim.expectedRate(host, t));
        const busy: number[] = [];
        for (let t = from; t + duration + 6 * 3600 < to; t += 1800) if (sim.expectedRate(host, t) >= 0.6 * peak) busy.push(t);
        if (busy.length > 0) start = r.pick(busy) + r.int(0, 29) * MINUTE;
      }
      incidents.push({ type, host, start, end: start + duration, intensity: intensityOf(sim, type, host) });
    }
  }
  return incidents;
}

function durationOf(sim: TrafficSimulator, type: IncidentType): number {
  const r = sim.rng;
  switch (type) {
    case 'verticalScan':
    case 'horizontalScan':
      return r.int(10, 40) * MINUTE;
    case 'ddos':
      return r.int(10, 60) * MINUTE;
    case 'exfiltration':
    case 'beaconing':
      return r.int(2 * 60, 8 * 60) * MINUTE;
    case 'silence':
      return r.int(60, 240) * MINUTE;
  }
}

function intensityOf(sim: TrafficSimulator, type: IncidentType, host: number): number {
  switch (type) {
    case 'verticalScan':
    case 'horizontalScan':
      return logUniform(sim, 50, 1000);
    case 'ddos':
      return logUniform(sim, 5, 50);
    case 'exfiltration': {
      // Bytes per minute: 1–10 × what the host moves in a typical busy minute.
      let typical = 0;
      for (let h = 0; h < 24; h++) typical = Math.max(typical, sim.expectedRate(host, h * 3600 + Date.UTC(2024, 0, 2) / 1000));
      return logUniform(sim, 1, 10) * sim.bytesMedian(host) * Math.max(1, typical / 2);
    }
    case 'beaconing':
      return sim.rng.pick([30, 60, 120, 300]);
    case 'silence':
      return 0;
  }
}

/** Applies an incident to a host's normal minute at `ts` (inside the incident). */
export function inject(sim: TrafficSimulator, incident: Incident, ts: number, minute: HostMinute): HostMinute {
  const r = sim.rng;
  const add = (states: Record<string, number>, extra: Record<string, number>): Record<string, number> => {
    const out = { ...states };
    for (const [k, v] of Object.entries(extra)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  switch (incident.type) {
    case 'verticalScan': {
      const probes = r.poisson(incident.intensity);
      return {
        conns: minute.conns + probes,
        bytes: minute.bytes + probes * 60,
        peers: minute.peers + 1,
        ports: minute.ports + Math.round(probes * 0.95),
        states: add(minute.states, sim.mix(probes, [0.03, 0.35, 0.6, 0.01, 0, 0, 0.01])),
      };
    }
    case 'horizontalScan': {
      const probes = r.poisson(incident.intensity);
      return {
        conns: minute.conns + probes,
        bytes: minute.bytes + probes * 60,
        peers: minute.peers + Math.round(probes * 0.95),
        ports: minute.ports + 1,
        states: add(minute.states, sim.mix(probes, [0.03, 0.7, 0.25, 0.01, 0, 0, 0.01])),
      };
    }
    case 'ddos': {
      const floods = r.poisson(Math.max(300, incident.intensity * sim.expectedRate(incident.host, ts)));
      return {
        conns: minute.conns + floods,
        bytes: minute.bytes + floods * 80,
        peers: minute.peers + Math.round(Math.min(floods, 20_000) * 0.8),
        ports: minute.ports,
        states: add(minute.states, sim.mix(floods, [0.15, 0.8, 0, 0.03, 0, 0.02, 0])),
      };
    }
    case 'exfiltration': {
      const conns = r.poisson(1);
      return {
        conns: minute.conns + conns,
        bytes: minute.bytes + Math.round(incident.intensity * Math.exp(0.2 * r.normal())),
        peers: minute.peers + 1,
        ports: minute.ports,
        states: add(minute.states, { SF: conns }),
      };
    }
    case 'beaconing': {
      const period = incident.intensity;
      const offset = (ts - incident.start) % Math.max(period, MINUTE);
      const beacons = period >= MINUTE ? (offset === 0 ? 1 : 0) : MINUTE / period;
      return {
        conns: minute.conns + beacons,
        bytes: minute.bytes + beacons * r.int(300, 2000),
        peers: minute.peers + (beacons > 0 ? 1 : 0),
        ports: minute.ports,
        states: add(minute.states, beacons > 0 ? { SF: beacons } : {}),
      };
    }
    case 'silence':
      return { conns: 0, bytes: 0, peers: 0, ports: 0, states: {} };
  }
}
