import { ipParam } from '@ipscope/api';
import { canonicalIp } from '@ipscope/timeseries';
import { BadRequestError } from './errors';

/**
 * Validates an IP from a request and returns the store's canonical text of it
 * (`::ffff:10.0.0.1` → `10.0.0.1`, `2001:DB8::1` → `2001:db8::1`), or a 400 naming `parameter`.
 */
export function requestIp(text: unknown, parameter = 'ip'): string {
  const checked = ipParam.safeParse(text);
  if (!checked.success) throw new BadRequestError(parameter, checked.error.issues[0]?.message ?? 'is not an IPv4 or IPv6 address');
  try {
    return canonicalIp(checked.data);
  } catch (error) {
    throw new BadRequestError(parameter, error instanceof Error ? error.message : 'is not an IPv4 or IPv6 address');
  }
}
