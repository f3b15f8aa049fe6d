import net from 'node:net';

/** Thrown at start-up when the server would listen beyond this machine without an access token. */
export class InsecureBindError extends Error {
  constructor(readonly host: string) {
    super(
      `refusing to listen on ${host} without an access token: set IPSCOPE_TOKEN (at least 16 characters, e.g. from "openssl rand -hex 24") or bind to 127.0.0.1`,
    );
    this.name = 'InsecureBindError';
  }
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, `localhost`, and IPv4-mapped loopback. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  if (net.isIPv4(v4)) return v4.startsWith('127.');
  return net.isIPv6(h) && /^(0{0,4}:){2,7}0{0,3}1$|^::1$/.test(h);
}

/** Throws {@link InsecureBindError} unless the host is loopback or a token is configured. */
export function checkBindPolicy(host: string, token: string | undefined): void {
  if (!isLoopbackHost(host) && !token) throw new InsecureBindError(host);
}
