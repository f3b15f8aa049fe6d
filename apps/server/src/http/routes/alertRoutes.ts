import { Router, type RequestHandler } from 'express';
import { alertActionBody, alertId, alertsQuery, type AlertActionResponse, type AlertsResponse } from '@ipscope/api';
import { AlertNotFoundError } from '@ipscope/detect';
import type { ApiContext } from '../apiContext';
import { toApiAlert } from '../alertView';
import { BadRequestError, HttpError, NotFoundError } from '../errors';
import { requestIp } from '../ipParam';
import { parseOrThrow } from '../validate';

/** State-changing requests must be JSON, which a cross-site form cannot send without a CORS preflight. */
export const requireJson: RequestHandler = (req, _res, next) => {
  next(req.is('application/json') ? undefined : new HttpError(415, 'unsupported_media_type', 'body: send JSON with "Content-Type: application/json"', 'body'));
};

/** `GET /api/alerts`, `POST /api/alerts/:id/acknowledge`, `POST /api/alerts/:id/resolve`. */
export function alertRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/alerts', async (req, res) => {
    const q = parseOrThrow(alertsQuery, req.query);
    if (q.from !== undefined && q.to !== undefined && q.from > q.to) throw new BadRequestError('from', 'must not be after to');
    if (q.metric !== undefined) ctx.lookup.metric(q.metric);
    const items = await ctx.alerts.list({
      ...(q.ip !== undefined ? { entity: requestIp(q.ip) } : {}),
      ...(q.metric !== undefined ? { metric: q.metric } : {}),
      ...(q.severity !== undefined ? { severity: q.severity } : {}),
      ...(q.state !== undefined ? { state: q.state } : {}),
      ...(q.status !== undefined ? { status: q.status } : {}),
      ...(q.from !== undefined ? { from: q.from } : {}),
      ...(q.to !== undefined ? { to: q.to } : {}),
      limit: q.limit,
    });
    const body: AlertsResponse = { items: items.map(toApiAlert) };
    res.json(body);
  });

  for (const action of ['acknowledge', 'resolve'] as const) {
    router.post(`/alerts/:id/${action}`, requireJson, async (req, res) => {
      const checked = alertId.safeParse(req.params.id);
      if (!checked.success) throw new BadRequestError('id', checked.error.issues[0]?.message ?? 'must be an alert id');
      const { by } = parseOrThrow(alertActionBody, req.body ?? {}, 'body');
      try {
        const alert = action === 'acknowledge' ? await ctx.alerts.acknowledge(checked.data, by) : await ctx.alerts.resolve(checked.data, by);
        const body: AlertActionResponse = { alert: toApiAlert(alert) };
        res.json(body);
      } catch (error) {
        if (error instanceof AlertNotFoundError) throw new NotFoundError(`no alert with id ${JSON.stringify(checked.data)}`);
        throw error;
      }
    });
  }

  return router;
}
