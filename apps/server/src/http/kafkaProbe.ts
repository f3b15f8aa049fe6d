import net from 'node:net';

/**
 * Kafka reachability for `/healthz` in processes without the ingest role: true when any broker
 * of the list accepts a TCP connection within `timeoutMs`. (With the ingest role, the consumer's
 * own state is the better signal and is used instead.)
 */
export function kafkaReachable(brokers: readonly string[], timeoutMs = 1000): () => Promise<boolean> {
  const targets = brokers.map((b) => {
    const i = b.lastIndexOf(':');
    return { host: b.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(b.slice(i + 1)) };
  });
  const probe = (host: string, port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  return async () => (await Promise.all(targets.map((t) => probe(t.host, t.port)))).some(Boolean);
}
