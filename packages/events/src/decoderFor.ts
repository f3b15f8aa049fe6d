import type { Decoder, FormatName } from './decodeResult';
import { resultFromThrown } from './decodeFault';
import { DecoderConfigError } from './decoderConfigError';
import { createGenericDecoder, type GenericMapping } from './genericJson';
import { decodeGoflow2, type Goflow2Options } from './goflow2';
import { inputText } from './input';
import { decodeSuricataEve } from './suricataEve';
import { decodeZeekConnJson } from './zeekConnJson';
import { createZeekTsvReader } from './zeekTsv';

/** Every format {@link decoderFor} knows. */
export const FORMAT_NAMES: readonly FormatName[] = ['zeek', 'zeek-tsv', 'suricata', 'goflow2', 'generic'];

/** Options of {@link decoderFor}; each applies to one format. */
export interface DecoderOptions {
  /** Required for `generic`. */
  mapping?: GenericMapping;
  /** For `goflow2`. */
  goflow2?: Goflow2Options;
}

/**
 * The decoder for a format named in configuration (a topic's `format`).
 *
 * - `zeek`: Zeek conn records as JSON ({@link decodeZeekConnJson}).
 * - `zeek-tsv`: Zeek TSV lines. The returned decoder is stateful (it keeps
 *   the header): use one per file or stream.
 * - `suricata`: Suricata EVE JSON ({@link decodeSuricataEve}).
 * - `goflow2`: goflow2 JSON ({@link decodeGoflow2}), with `options.goflow2`.
 * - `generic`: JSON read through `options.mapping` ({@link createGenericDecoder}).
 *
 * Throws {@link DecoderConfigError} for an unknown format, a missing or bad
 * mapping; the returned decoder never throws.
 */
export function decoderFor(format: string, options: DecoderOptions = {}): Decoder {
  switch (format) {
    case 'zeek':
      return decodeZeekConnJson;
    case 'zeek-tsv': {
      const reader = createZeekTsvReader();
      return (input) => {
        let text: string;
        try {
          text = inputText(input);
        } catch (caught) {
          return resultFromThrown('zeek-tsv', caught);
        }
        return reader.line(text);
      };
    }
    case 'suricata':
      return decodeSuricataEve;
    case 'goflow2': {
      const goflow2 = options.goflow2 ?? {};
      return (input) => decodeGoflow2(input, goflow2);
    }
    case 'generic':
      if (options.mapping === undefined) {
        throw new DecoderConfigError('mapping', 'the generic format needs a mapping of field paths');
      }
      return createGenericDecoder(options.mapping);
    default:
      throw new DecoderConfigError('format', `unknown format ${JSON.stringify(format)}; expected one of ${FORMAT_NAMES.join(', ')}`);
  }
}
