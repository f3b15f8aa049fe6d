import { Router } from 'express';
import type { LiveFeed } from '../liveFeed';
import type { SseHub } from '../sseHub';
import { UnavailableError } from '../errors';
import type { Logger } from '../../log';

/**
 * `GET /api/stream`: Server-Sent Events of closed buckets and alert changes, with heartbeats.
 * The live feed starts with the first stream; past the cap on concurrent streams, 503.
 */
export function streamRoute(hub: SseHub, feed: LiveFeed, log: Logger): Router {
  const router = Router();
  router.get('/stream', async (req, res) => {
    if (!feed.started) await feed.start();
    if (!hub.open(req, res)) {
      log.warn('live stream refused: cap reached', { requestId: res.locals.requestId, open: hub.size, cap: hub.capacity });
      throw new UnavailableError('too_many_streams', `too many live streams are open (${hub.capacity}); close a tab or retry later`, 30);
    }
  });
  return router;
}
