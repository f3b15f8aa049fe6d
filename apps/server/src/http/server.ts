import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiApp } from './app';
import { checkBindPolicy } from './bindPolicy';

export interface ListenOptions {
  host: string;
  port: number;
  /** The configured access token; required unless `host` is a loopback address. */
  token: string | undefined;
}

export interface RunningServer {
  server: Server;
  /** `http://host:port` as bound (the real port when 0 was asked for). */
  url: string;
  port: number;
  /** Ends live streams, stops accepting, and waits for open requests to finish. */
  close(): Promise<void>;
}

/**
 * Starts the API on `host:port`. Refuses (throws `InsecureBindError`, nothing bound) to listen
 * on an address other machines can reach without an access token.
 */
export async function startHttpServer(api: ApiApp, options: ListenOptions): Promise<RunningServer> {
  checkBindPolicy(options.host, options.token);
  const server = api.app.listen(options.port, options.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    server,
    url: `http://${host}:${port}`,
    port,
    close: async () => {
      await api.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
