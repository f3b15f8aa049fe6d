import { lazyRoute } from './lazyRoute';

/**
 * The IP page's route module. The entry preloads it before the first render when the app
 * opens on an IP page, and the overview when it is idle (the next page is most often an IP
 * page): a page mounted after that renders without suspending.
 */
export const ipPageRoute = lazyRoute(() => import('../pages/ip/IpPage'));
