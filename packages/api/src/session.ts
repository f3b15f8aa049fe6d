import { z } from 'zod';

/**
 * Access control. When the server requires a token, every `/api/*` route except these three
 * answers 401 without one. A client sends `Authorization: Bearer <token>`, or a browser logs
 * in once with `POST /api/session` (or the `/login` form) and then carries the HttpOnly,
 * SameSite=Lax cookie.
 */

/** `POST /api/session` body. */
export const loginBody = z.strictObject({
  token: z.string({ error: 'must be the access token' }).min(1, 'must be the access token').max(1024, 'must be at most 1024 characters'),
});
export type LoginBody = z.infer<typeof loginBody>;

/** `GET /api/session` (also the answer of `POST` and `DELETE /api/session`). */
export const sessionResponse = z.object({
  /** False when the server runs without a token (loopback only). */
  authRequired: z.boolean(),
  /** True when this request carried a valid token or session cookie (always true when no token is required). */
  authenticated: z.boolean(),
  /** Unix seconds when the session cookie expires; null for bearer tokens or no auth. */
  expiresAt: z.number().nullable(),
});
export type SessionResponse = z.infer<typeof sessionResponse>;

/** `GET /healthz`: 200 when both are reachable, 503 otherwise. */
export const healthResponse = z.object({ redis: z.boolean(), kafka: z.boolean() });
export type HealthResponse = z.infer<typeof healthResponse>;
