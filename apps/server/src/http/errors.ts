import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../log';

/**
 * An error whose status, code and message are safe to show a client. Anything else thrown
 * by a route becomes a 500 with a generic message; its details go to the log only.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly parameter?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** HTTP 400 naming the offending parameter and why. */
export class BadRequestError extends HttpError {
  constructor(parameter: string, reason: string) {
    super(400, 'bad_request', `${parameter}: ${reason}`, parameter);
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'an access token is required: send "Authorization: Bearer <token>" or log in with POST /api/session') {
    super(401, 'unauthorized', message, undefined, { 'www-authenticate': 'Bearer realm="ipscope"' });
  }
}

export class ForbiddenError extends HttpError {
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(retryAfterSeconds: number) {
    super(429, 'rate_limited', `too many requests from this client; retry in ${retryAfterSeconds} s`, undefined, { 'retry-after': String(retryAfterSeconds) });
  }
}

/** The server is up but cannot answer now (cap on live streams reached, Redis unreachable). */
export class UnavailableError extends HttpError {
  constructor(code: string, message: string, retryAfterSeconds = 5) {
    super(503, code, message, undefined, { 'retry-after': String(retryAfterSeconds) });
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`no route for ${req.method} ${req.path.length > 200 ? `${req.path.slice(0, 200)}…` : req.path}`));
};

/** Errors raised by body-parser carry a `type` and a 4xx `status`. */
function bodyParserProblem(error: unknown): HttpError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error) || !('status' in error)) return undefined;
  const { type, status } = error as { type: unknown; status: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  switch (type) {
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', 'body: the request body is too large', 'body');
    case 'entity.parse.failed':
      return new BadRequestError('body', 'is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_media_type', 'body: use UTF-8 JSON', 'body');
    default:
      return new BadRequestError('body', 'could not be read');
  }
}

/** True for errors that say "try again later": the store's retriable errors and connection failures. */
function isRetriable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ('retriable' in error && (error as { retriable: unknown }).retriable === true) return true;
  const name = (error as { name?: unknown }).name;
  return name === 'MaxRetriesPerRequestError' || (error instanceof Error && /ECONNREFUSED|Connection is closed|ETIMEDOUT/.test(error.message));
}

/**
 * Turns every error into one JSON body `{error: {code, message, parameter?, requestId}}` and
 * logs it with the request id: client errors as warnings, server errors with their stack.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const requestId = res.locals.requestId as string | undefined;
    if (res.headersSent) {
      log.error('request failed after the response started', { requestId, method: req.method, path: req.path, error });
      next(error);
      return;
    }
    let problem = error instanceof HttpError ? error : error instanceof URIError ? new BadRequestError('path', 'is not valid percent-encoding') : bodyParserProblem(error);
    if (!problem && isRetriable(error)) problem = new UnavailableError('unavailable', 'the store is unreachable; try again shortly');
    if (problem) {
      const context = { requestId, method: req.method, path: req.path, status: problem.status, code: problem.code, parameter: problem.parameter, reason: problem.message };
      if (problem.status >= 500) log.error('request failed', { ...context, error });
      else log.warn('request rejected', context);
      for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
      res.status(problem.status).json({ error: { code: problem.code, message: problem.message, ...(problem.parameter ? { parameter: problem.parameter } : {}), requestId } });
      return;
    }
    log.error('request failed', { requestId, method: req.method, path: req.path, status: 500, error, stack: error instanceof Error ? error.stack : undefined });
    res.status(500).json({ error: { code: 'internal', message: 'internal error; the server log has the details under this request id', requestId } });
  };
}
