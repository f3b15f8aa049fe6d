import crypto from 'node:crypto';
import type { RequestHandler } from 'express';

const INCOMING = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Gives every request an id (`res.locals.requestId`, echoed in `x-request-id` and in error
 * bodies) so a user's report can be matched with the log. A well-formed id set by a proxy in
 * front is kept; anything else is replaced.
 */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && INCOMING.test(incoming) ? incoming : crypto.randomUUID();
  res.locals.requestId = id;
  res.setHeader('x-request-id', id);
  next();
};
