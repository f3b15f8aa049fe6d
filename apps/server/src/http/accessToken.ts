import crypto from 'node:crypto';

/**
 * The access token and the session cookies derived from it. Comparisons are constant-time:
 * both sides are hashed to 32 bytes first, so neither content nor length leaks through timing.
 *
 * A session value is `<expires>.<mac>` with `mac = HMAC-SHA256(token, "ipscope-session:" + expires)`:
 * stateless (any replica with the same token accepts it), unforgeable without the token, and
 * void as soon as the token changes.
 */
export class AccessToken {
  private readonly digest: Buffer;

  constructor(private readonly token: string) {
    this.digest = sha256(token);
  }

  /** True when `candidate` is the token. */
  matches(candidate: string): boolean {
    return crypto.timingSafeEqual(sha256(candidate), this.digest);
  }

  /** A session value valid until `expiresAt` (unix seconds). */
  issueSession(expiresAt: number): string {
    return `${expiresAt}.${this.mac(expiresAt)}`;
  }

  /** The expiry of a valid, unexpired session value; undefined otherwise. */
  verifySession(value: string, now: number): number | undefined {
    const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value);
    if (!match) return undefined;
    const expiresAt = Number(match[1]);
    const ok = crypto.timingSafeEqual(sha256(match[2]!), sha256(this.mac(expiresAt)));
    return ok && expiresAt > now ? expiresAt : undefined;
  }

  private mac(expiresAt: number): string {
    return crypto.createHmac('sha256', this.token).update(`ipscope-session:${expiresAt}`).digest('base64url');
  }
}

function sha256(text: string): Buffer {
  return crypto.createHash('sha256').update(text, 'utf8').digest();
}
