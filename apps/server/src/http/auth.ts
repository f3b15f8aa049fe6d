import type { Request, RequestHandler, Response } from 'express';
import { loginBody, type SessionResponse } from '@ipscope/api';
import { AccessToken } from './accessToken';
import { UnauthorizedError } from './errors';
import { parseOrThrow } from './validate';

export const SESSION_COOKIE = 'ipscope_session';

export interface AuthOptions {
  /** The access token; undefined: no authentication (allowed on loopback only, see bindPolicy). */
  token: string | undefined;
  /** Session cookie lifetime in seconds. Default 12 hours (an analyst's shift). */
  sessionSeconds?: number;
  /** Clock in unix seconds, for tests. */
  now?: () => number;
}

type AuthState = { authenticated: boolean; expiresAt: number | null };

function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Access control for the API: bearer header or session cookie, plus the `/api/session`
 * handlers (state, log in, log out). Without a token every request is authenticated.
 */
export function createAuth(options: AuthOptions) {
  const token = options.token ? new AccessToken(options.token) : undefined;
  const sessionSeconds = options.sessionSeconds ?? 12 * 3600;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));

  const stateOf = (req: Request): AuthState => {
    if (!token) return { authenticated: true, expiresAt: null };
    const header = req.headers.authorization;
    if (typeof header === 'string') {
      const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
      return { authenticated: Boolean(match && token.matches(match[1]!)), expiresAt: null };
    }
    const cookie = readCookie(req, SESSION_COOKIE);
    const expiresAt = cookie ? token.verifySession(cookie, now()) : undefined;
    return expiresAt === undefined ? { authenticated: false, expiresAt: null } : { authenticated: true, expiresAt };
  };

  const body = (state: AuthState): SessionResponse => ({ authRequired: Boolean(token), ...state });

  const setCookie = (req: Request, res: Response, value: string, maxAge: number) => {
    const secure = req.secure ? '; Secure' : '';
    res.setHeader('set-cookie', `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`);
  };

  /** Rejects requests without a valid token or session with 401. */
  const requireAuth: RequestHandler = (req, _res, next) => {
    next(stateOf(req).authenticated ? undefined : new UnauthorizedError());
  };

  const getSession: RequestHandler = (req, res) => {
    res.json(body(stateOf(req)));
  };

  const login: RequestHandler = (req, res) => {
    const { token: given } = parseOrThrow(loginBody, req.body, 'body');
    if (!token) {
      res.json(body({ authenticated: true, expiresAt: null }));
      return;
    }
    if (!token.matches(given)) throw new UnauthorizedError('token: is not the access token');
    const expiresAt = now() + sessionSeconds;
    setCookie(req, res, token.issueSession(expiresAt), sessionSeconds);
    res.json(body({ authenticated: true, expiresAt }));
  };

  const logout: RequestHandler = (req, res) => {
    setCookie(req, res, '', 0);
    res.json(body({ authenticated: !token, expiresAt: null }));
  };

  return { required: Boolean(token), requireAuth, getSession, login, logout };
}
export type Auth = ReturnType<typeof createAuth>;
