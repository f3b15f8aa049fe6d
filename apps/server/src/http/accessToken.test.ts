import { describe, expect, it } from 'vitest';
import { AccessToken } from './accessToken';

describe('AccessToken', () => {
  const token = new AccessToken('correct-horse-battery-staple');

  it('matches only the exact token', () => {
    expect(token.matches('correct-horse-battery-staple')).toBe(true);
    for (const wrong of ['', 'correct-horse-battery-stapl', 'correct-horse-battery-staple ', 'CORRECT-horse-battery-staple']) expect(token.matches(wrong)).toBe(false);
  });

  it('issues sessions that verify until they expire', () => {
    const value = token.issueSession(1000);
    expect(token.verifySession(value, 999)).toBe(1000);
    expect(token.verifySession(value, 1000)).toBeUndefined();
  });

  it('rejects forged, altered or foreign sessions', () => {
    const value = token.issueSession(5000);
    const [expires, mac] = value.split('.');
    expect(token.verifySession(`9${expires}.${mac}`, 0)).toBeUndefined();
    expect(token.verifySession(`${expires}.${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'B' : 'A'}`, 0)).toBeUndefined();
    expect(token.verifySession(new AccessToken('another-token-entirely').issueSession(5000), 0)).toBeUndefined();
    for (const junk of ['', '5000', '5000.', 'abc.def', `${expires}.${mac}.x`]) expect(token.verifySession(junk, 0)).toBeUndefined();
  });

  it('never puts the token in the session value', () => {
    expect(token.issueSession(5000)).not.toContain('correct-horse');
  });
});
