import { z } from 'zod';
import { ConfigError } from '../config/config';
import { isLoopbackHost } from './bindPolicy';

/**
 * Configuration of the API role, read once from the environment at start-up (next to
 * `loadConfig`, which owns the shared variables such as IPSCOPE_HOST).
 *
 * | variable                 | default        | meaning                                                        |
 * |--------------------------|----------------|----------------------------------------------------------------|
 * | IPSCOPE_TOKEN            | (none)         | access token (≥ 16 characters); required off loopback          |
 * | IPSCOPE_CORS_ORIGINS     | (none: off)    | comma-separated origins allowed to call the API, e.g. https://soc.example |
 * | IPSCOPE_RATE_LIMIT       | 1200           | requests per client per minute on /api and /metrics; 0 = off   |
 * | IPSCOPE_LOGIN_RATE_LIMIT | 10             | log-in attempts per client per minute                          |
 * | IPSCOPE_MAX_STREAMS      | 100            | concurrent live (SSE) streams per process                      |
 * | IPSCOPE_TRUST_PROXY      | false          | Express `trust proxy`: true, false, a hop count or a subnet list |
 * | IPSCOPE_SERVER_CHARTS    | 1              | 1: an IP page opened from a link arrives with its charts drawn by the server; 0: the browser draws them |
 */
export interface HttpConfig {
  token: string | undefined;
  corsOrigins: string[];
  rateLimit: number;
  loginRateLimit: number;
  maxStreams: number;
  trustProxy: boolean | number | string;
  serverCharts: boolean;
}

const whole = (min: number, max: number, example: number) =>
  z.coerce
    .number({ error: `must be a whole number, e.g. ${example}` })
    .int(`must be a whole number, e.g. ${example}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const origin = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

const schema = z.object({
  IPSCOPE_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters, e.g. from "openssl rand -hex 24"')
    .max(1024, 'must be at most 1024 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional(),
  IPSCOPE_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(origin, 'must list origins like https://soc.example or http://10.0.0.5:8080 (scheme, host, optional port; no path)'))),
  IPSCOPE_RATE_LIMIT: whole(0, 1_000_000, 1200).default(1200),
  IPSCOPE_LOGIN_RATE_LIMIT: whole(1, 1000, 10).default(10),
  IPSCOPE_MAX_STREAMS: whole(1, 100_000, 100).default(100),
  IPSCOPE_TRUST_PROXY: z
    .string()
    .default('false')
    .transform((s): boolean | number | string => (s === 'true' ? true : s === 'false' ? false : /^\d+$/.test(s) ? Number(s) : s)),
  IPSCOPE_SERVER_CHARTS: z
    .enum(['0', '1'], { error: 'must be 1 (the server draws the IP page\'s charts) or 0 (the browser draws them)' })
    .default('1')
    .transform((s) => s === '1'),
});

/**
 * Validates the API role's environment. The first problem stops start-up naming the
 * variable; so does listening on a non-loopback `host` without IPSCOPE_TOKEN.
 */
export function loadHttpConfig(env: Record<string, string | undefined>, host: string): HttpConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const c = parsed.data;
  if (!c.IPSCOPE_TOKEN && !isLoopbackHost(host)) {
    throw new ConfigError('IPSCOPE_TOKEN', `is required when IPSCOPE_HOST (${host}) is not a loopback address; set a token of at least 16 characters or bind to 127.0.0.1`);
  }
  return {
    token: c.IPSCOPE_TOKEN,
    corsOrigins: c.IPSCOPE_CORS_ORIGINS,
    rateLimit: c.IPSCOPE_RATE_LIMIT,
    loginRateLimit: c.IPSCOPE_LOGIN_RATE_LIMIT,
    maxStreams: c.IPSCOPE_MAX_STREAMS,
    trustProxy: c.IPSCOPE_TRUST_PROXY,
    serverCharts: c.IPSCOPE_SERVER_CHARTS,
  };
}
