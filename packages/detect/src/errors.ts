/**
 * One error base for the detect package. `retriable` tells a caller (the server's
 * detector loop, the CLI) whether trying the same call again can succeed, so it
 * never has to match message text.
 */
export class DetectError extends Error {
  /** Stable machine-readable code, e.g. `invalid_bucket`. */
  readonly code: string;
  /** True when the same call may succeed later (network, Redis unavailable). */
  readonly retriable: boolean;

  constructor(code: string, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** An option has an impossible value; the message names the option and a value that works. */
export class InvalidOptionError extends DetectError {
  constructor(option: string, message: string) {
    super('invalid_option', `${option}: ${message}`);
  }
}

/** A closed bucket handed to the detector is malformed (non-finite value, wrong step, duplicate…). */
export class InvalidBucketError extends DetectError {
  constructor(message: string) {
    super('invalid_bucket', message);
  }
}

/** Stored model state cannot be read (wrong version, truncated, foreign bytes). */
export class StateDecodeError extends DetectError {
  constructor(message: string) {
    super('state_decode', message);
  }
}

/** A CSV row given to the offline scorer is bad; `line` is 1-based. */
export class CsvFormatError extends DetectError {
  readonly line: number;
  constructor(line: number, message: string) {
    super('csv_format', `line ${line}: ${message}`);
    this.line = line;
  }
}

/** No alert with this id exists. */
export class AlertNotFoundError extends DetectError {
  constructor(id: string) {
    super('alert_not_found', `alert ${JSON.stringify(id)} does not exist`);
  }
}

/** A webhook could not be delivered after all retries. */
export class WebhookDeliveryError extends DetectError {
  readonly attempts: number;
  constructor(message: string, attempts: number, retriable: boolean, cause?: unknown) {
    super('webhook_delivery', message, { retriable, cause });
    this.attempts = attempts;
  }
}
