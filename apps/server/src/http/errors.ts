import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import type { Logger } from '../log';

/** A client error that becomes HTTP 400 naming the parameter. */
export class BadRequestError extends Error {
  constructor(readonly parameter: string, reason: string) {
    super(`${parameter}: ${reason}`);
    this.name = 'BadRequestError';
  }
}

/** Parses input with a schema; the first issue becomes a BadRequestError naming its parameter. */
export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new BadRequestError(String(issue.path[0] ?? 'query'), issue.message);
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: `no route for ${req.method} ${req.path}`, requestId: res.locals.requestId as string } });
};

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const requestId = res.locals.requestId as string | undefined;
    if (error instanceof BadRequestError) {
      log.warn('bad request', { requestId, path: req.path, parameter: error.parameter, reason: error.message });
      res.status(400).json({ error: { code: 'bad_request', message: error.message, parameter: error.parameter, requestId } });
      return;
    }
    log.error('request failed', { requestId, path: req.path, error });
    res.status(500).json({ error: { code: 'internal', message: 'internal error', requestId } });
  };
}
