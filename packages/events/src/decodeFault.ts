import type { DecodeReason, DecodeResult, FormatName, SkipReason } from './decodeResult';
import type { Annotation, NetEvent } from './netEvent';

/**
 * Internal signal raised by field readers deep in a decoder and turned into a
 * {@link DecodeResult} at the decoder's boundary. Not an `Error`, so raising it
 * costs no stack capture: garbage input is common and must stay cheap.
 */
export class DecodeFault {
  constructor(
    readonly reason: DecodeReason,
    readonly message: string,
    readonly field?: string,
  ) {}
}

/** Internal signal for "well-formed, but nothing to count". */
export class SkipSignal {
  constructor(
    readonly reason: SkipReason,
    readonly message: string,
  ) {}
}

/** Wraps a decoder body so that nothing thrown inside escapes as an exception. */
export function guard(format: FormatName, body: () => NetEvent | Annotation): DecodeResult {
  try {
    const value = body();
    return 'kind' in value
      ? { ok: true, kind: 'annotation', annotation: value }
      : { ok: true, kind: 'event', event: value };
  } catch (caught) {
    return resultFromThrown(format, caught);
  }
}

/** Turns anything a decoder body threw into a result. */
export function resultFromThrown(format: FormatName, caught: unknown): DecodeResult {
  if (caught instanceof DecodeFault) {
    return {
      ok: false,
      kind: 'error',
      error: { reason: caught.reason, message: caught.message, format, field: caught.field },
    };
  }
  if (caught instanceof SkipSignal) {
    return { ok: true, kind: 'skip', skip: { reason: caught.reason, message: caught.message } };
  }
  const detail = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
  return {
    ok: false,
    kind: 'error',
    error: { reason: 'internal', message: `decoder failed unexpectedly (${detail})`, format, field: undefined },
  };
}

/** Shortens a value for an error message so a huge input cannot bloat the dead-letter record. */
export function preview(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value === undefined) text = 'undefined';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
