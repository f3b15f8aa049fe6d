/**
 * A decoder was configured wrongly (unknown format, bad generic mapping).
 * Thrown at start-up, never per message. `path` names the offending option,
 * e.g. `mapping.fields.origIp`. Not retriable: the configuration must change.
 */
export class DecoderConfigError extends Error {
  readonly retriable = false;

  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'DecoderConfigError';
  }
}
