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

/** Where a browser may be sent after logging in: a path on this server, nothing else. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.length <= 1024 && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}

/**
 * Access control for the API: bearer header or session cookie, plus the `/api/session`
 * handlers (state, log in, log out). Without a token every request is authenticated.
 *
 * The session cookie is HttpOnly and SameSite=Lax: Lax (not Strict) so that a link pasted into
 * a ticket opens the view already logged in; it still never travels with another site's POST,
 * and every change here is a POST or DELETE (JSON or same-site form, checked by origin).
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
    res.setHeader('set-cookie', `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`);
  };

  /** Rejects requests without a valid token or session with 401. */
  const requireAuth: RequestHandler = (req, _res, next) => {
    next(stateOf(req).authenticated ? undefined : new UnauthorizedError());
  };

  const getSession: RequestHandler = (req, res) => {
    res.json(body(stateOf(req)));
  };

  /** The log-in form of `/login` (no script): redirects back to the form on failure, to `next` on success. */
  const formLogin: RequestHandler = (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(form.next);
    const given = typeof form.token === 'string' ? form.token : '';
    if (token && !token.matches(given)) {
      res.redirect(303, `/login?failed=1&next=${encodeURIComponent(next)}`);
      return;
    }
    if (token) {
      const expiresAt = now() + sessionSeconds;
      setCookie(req, res, token.issueSession(expiresAt), sessionSeconds);
    }
    res.redirect(303, next);
  };

  const login: RequestHandler = (req, res, next) => {
    if (req.is('application/x-www-form-urlencoded')) {
      formLogin(req, res, next);
      return;
    }
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

  /** Sends a browser that opens a page of the web app without a session to `/login` first. */
  const pageGate: RequestHandler = (req, res, next) => {
    if (stateOf(req).authenticated || !req.accepts('html')) {
      next();
      return;
    }
    res.redirect(302, `/login?next=${encodeURIComponent(safeNext(req.originalUrl))}`);
  };

  /** Whether the request carries a valid token or session (always, when no token is required). */
  const isAuthenticated = (req: Request): boolean => stateOf(req).authenticated;

  return { required: Boolean(token), requireAuth, getSession, login, logout, pageGate, isAuthenticated };
}
export type Auth = ReturnType<typeof createAuth>;
