/**
 * Every error the store throws on purpose is a {@link StoreError}. Callers decide to retry,
 * pause or dead-letter by reading `retriable` and `code`, never by matching message text.
 */
export class StoreError extends Error {
  /** True when the same call may succeed later unchanged (Redis down, fence race). */
  readonly retriable: boolean;
  /** Stable machine-readable code, e.g. `INVALID_SAMPLE`. */
  readonly code: string;

  constructor(code: string, message: string, retriable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.retriable = retriable;
  }
}

/** The store options are impossible; the message names the option and a value that works. */
export class ConfigError extends StoreError {
  constructor(message: string) {
    super('INVALID_CONFIG', message, false);
  }
}

/** A text is not an IPv4 or IPv6 address. */
export class InvalidIpError extends StoreError {
  readonly input: string;
  constructor(input: string, reason: string) {
    super('INVALID_IP', `invalid IP address ${JSON.stringify(input)}: ${reason}`, false);
    this.input = input;
  }
}

/**
 * One sample of a write is invalid. Nothing of the batch has been written when this is thrown.
 * `index` is the position of the sample in the batch, `field` the offending field.
 */
export class InvalidSampleError extends StoreError {
  readonly index: number;
  readonly field: string;
  constructor(index: number, field: string, reason: string) {
    super('INVALID_SAMPLE', `sample #${index}: ${field} ${reason}; nothing of this batch was written`, false);
    this.index = index;
    this.field = field;
  }
}

/** A read or delete request is invalid (unknown metric or interval, bad range, unsupported transform). */
export class InvalidQueryError extends StoreError {
  readonly field: string;
  constructor(field: string, reason: string) {
    super('INVALID_QUERY', `${field} ${reason}`, false);
    this.field = field;
  }
}

/**
 * Another writer changed the fence of the same scope while this batch was being applied
 * (two consumers own one partition during a rebalance). Retry after re-reading; the part of the
 * batch that was applied is remembered by the fence and will not be counted twice.
 */
export class FenceConflictError extends StoreError {
  readonly scope: string;
  constructor(scope: string, detail: string) {
    super('FENCE_CONFLICT', `fence ${JSON.stringify(scope)} changed concurrently: ${detail}`, true);
    this.scope = scope;
  }
}

/**
 * A fence went back: a shard holds a lower token for the scope than this store saw there before.
 * Fences only rise, so Redis lost writes it had acknowledged (it restarted from an append-only
 * file that missed its last second, or a replica that lagged took over). Nothing of the batch was
 * written. Read {@link Store.fenceToken} and write again from the token after it; the store
 * forgets what it saw for the scope, so that write goes through.
 */
export class StoreBehindError extends StoreError {
  readonly scope: string;
  readonly shard: number;
  /** Token the shard holds now (-1: none). */
  readonly stored: number;
  /** Token this store saw in the shard before. */
  readonly seen: number;
  constructor(scope: string, shard: number, stored: number, seen: number) {
    super(
      'STORE_BEHIND',
      `fence ${JSON.stringify(scope)} of shard ${shard} went back from ${seen} to ${stored}: Redis lost writes it had acknowledged; nothing of this batch was written, write again from the scope's fence`,
      true,
    );
    this.scope = scope;
    this.shard = shard;
    this.stored = stored;
    this.seen = seen;
  }
}

/**
 * True for an error of the code itself (TypeError, RangeError, ReferenceError, SyntaxError):
 * a bug, which no retry fixes. Such errors pass through the store unwrapped.
 */
export function isProgramError(error: unknown): boolean {
  return error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError || error instanceof SyntaxError;
}

/** Redis failed or could not be reached; the cause is attached. Safe to retry with the same fence. */
export class BackendError extends StoreError {
  constructor(operation: string, cause: unknown) {
    super('BACKEND', `redis failed during ${operation}: ${cause instanceof Error ? cause.message : String(cause)}`, true, { cause });
  }
}

/**
 * The keys under the store's prefix were written in another key layout than this version reads
 * (keyScheme.ts, `STORED_LAYOUT`); nothing was read or written. Use a new prefix, or delete the
 * prefix's keys and replay the data.
 */
export class StoredLayoutError extends StoreError {
  /** Layout version found in Redis (1: before the version was stored). */
  readonly stored: number;
  constructor(prefix: string, stored: number, expected: number) {
    super(
      'STORED_LAYOUT',
      `the keys under prefix ${JSON.stringify(prefix)} are in stored layout ${stored}, this version of the store reads layout ${expected} only; ` +
        `open the store with a new prefix, or delete the keys of prefix ${JSON.stringify(prefix)} and replay the data (no in-place migration exists)`,
      false,
    );
    this.stored = stored;
  }
}
