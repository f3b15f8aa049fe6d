import { Router } from 'express';
import type { ApiContext } from '../apiContext';

/** `GET /api/metrics`: the metric catalog (computed once; it only changes with a restart). */
export function catalogRoutes(ctx: ApiContext): Router {
  const router = Router();
  const body = ctx.lookup.describe();
  router.get('/metrics', (_req, res) => {
    res.json(body);
  });
  return router;
}
