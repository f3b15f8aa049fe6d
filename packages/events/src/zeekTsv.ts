import type { DecodeResult } from './decodeResult';
import { DecodeFault, guard, preview, resultFromThrown } from './decodeFault';
import { ZEEK_CONN_FIELDS, ZEEK_CONN_REQUIRED, zeekConnEvent, type ZeekConnField } from './zeekConn';

/** The header of a Zeek TSV log, as declared by its `#` lines. */
export interface ZeekTsvHeader {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  /** `#path`, e.g. `conn`. */
  path: string | undefined;
  fields: readonly string[];
  types: readonly string[] | undefined;
}

/**
 * Reads a Zeek TSV log line by line. Stateful: `#separator`, `#fields` and
 * friends configure how the following data lines are split and read, and a
 * new `#separator` line (the start of another file in a concatenated archive)
 * starts over.
 */
export interface ZeekTsvReader {
  /**
   * Decodes one line (without its newline; a trailing `\r` is ignored).
   * Header and `#` lines give a `skip` with reason `header`, blank lines
   * `blank`; a malformed header gives `bad_header`, data before a usable
   * header `no_header`. Never throws.
   */
  line(text: string): DecodeResult;
  /** The header in force, once a usable `#fields` line has been read. */
  readonly header: Readonly<ZeekTsvHeader> | undefined;
}

const DEFAULTS = { separator: '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-' } as const;

/** Creates a reader for one Zeek TSV `conn.log` stream (see {@link ZeekTsvReader}). */
export function createZeekTsvReader(): ZeekTsvReader {
  return new TsvReader();
}

class TsvReader implements ZeekTsvReader {
  private separator: string = DEFAULTS.separator;
  private setSeparator: string = DEFAULTS.setSeparator;
  private emptyField: string = DEFAULTS.emptyField;
  private unsetField: string = DEFAULTS.unsetField;
  private path: string | undefined;
  private fields: string[] | undefined;
  private types: string[] | undefined;
  private active: ActiveHeader | undefined;
  /** Why there is no active header, for `no_header` messages. */
  private unusable = 'no #fields header has been read';

  get header(): Readonly<ZeekTsvHeader> | undefined {
    return this.active?.header;
  }

  line(raw: string): DecodeResult {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.length === 0) return { ok: true, kind: 'skip', skip: { reason: 'blank', message: 'blank line' } };
    if (text.charCodeAt(0) === 35 /* # */) {
      try {
        return this.directive(text);
      } catch (caught) {
        return resultFromThrown('zeek-tsv', caught);
      }
    }
    const active = this.active;
    if (active === undefined) {
      return resultFromThrown('zeek-tsv', new DecodeFault('no_header', `data line before a usable header: ${this.unusable}`));
    }
    return guard('zeek-tsv', () => active.decode(text));
  }

  private directive(text: string): DecodeResult {
    if (text.startsWith('#separator')) {
      const value = text.slice('#separator'.length).replace(/^[ \t]/, '');
      const separator = unescapeZeek(value);
      if (separator.length === 0) throw new DecodeFault('bad_header', '#separator is empty');
      this.reset();
      this.separator = separator;
      return headerSkip('#separator');
    }
    const parts = text.split(this.separator);
    const name = parts[0] ?? '';
    const values = parts.slice(1);
    const single = values.length === 1 ? unescapeZeek(values[0] ?? '') : undefined;
    switch (name) {
      case '#set_separator':
      case '#empty_field':
      case '#unset_field': {
        if (single === undefined || single.length === 0) {
          throw new DecodeFault('bad_header', `${name} needs exactly one non-empty value, got ${preview(values)}`);
        }
        if (name === '#set_separator') this.setSeparator = single;
        else if (name === '#empty_field') this.emptyField = single;
        else this.unsetField = single;
        this.rebuild();
        break;
      }
      case '#path':
        this.path = single;
        this.rebuild();
        break;
      case '#fields':
        this.fields = values;
        this.types = undefined;
        this.rebuild();
        this.checkFields();
        break;
      case '#types':
        this.types = values;
        this.rebuild();
        if (this.fields !== undefined && values.length !== this.fields.length) {
          this.active = undefined;
          this.unusable = `#types has ${values.length} entries but #fields has ${this.fields.length}`;
          throw new DecodeFault('bad_header', this.unusable);
        }
        break;
      default:
        break; // #open, #close and unknown directives carry nothing we need
    }
    return headerSkip(name);
  }

  private reset(): void {
    this.separator = DEFAULTS.separator;
    this.setSeparator = DEFAULTS.setSeparator;
    this.emptyField = DEFAULTS.emptyField;
    this.unsetField = DEFAULTS.unsetField;
    this.path = undefined;
    this.fields = undefined;
    this.types = undefined;
    this.active = undefined;
    this.unusable = 'no #fields header has been read since #separator';
  }

  /** Recomputes the active header from the directives read so far. */
  private rebuild(): void {
    this.active = undefined;
    if (this.path !== undefined && !/^conn(?:-\d+)?$/.test(this.path)) {
      this.unusable = `the header declares #path ${this.path}, not conn`;
      return;
    }
    const fields = this.fields;
    if (fields === undefined) {
      this.unusable = 'no #fields header has been read';
      return;
    }
    const missing = ZEEK_CONN_REQUIRED.filter((f) => !fields.includes(f));
    const duplicate = fields.find((f, i) => fields.indexOf(f) !== i);
    if (missing.length > 0) {
      this.unusable = `#fields lacks ${missing.join(', ')}`;
      return;
    }
    if (duplicate !== undefined) {
      this.unusable = `#fields names ${duplicate} twice`;
      return;
    }
    this.active = new ActiveHeader({
      separator: this.separator,
      setSeparator: this.setSeparator,
      emptyField: this.emptyField,
      unsetField: this.unsetField,
      path: this.path,
      fields,
      types: this.types,
    });
  }

  private checkFields(): void {
    if (this.active === undefined && this.fields !== undefined && !this.unusable.startsWith('the header declares')) {
      throw new DecodeFault('bad_header', this.unusable);
    }
  }
}

/** A usable header, with the column of each field ipscope reads precomputed. */
class ActiveHeader {
  private readonly columns: Record<ZeekConnField, number>;

  constructor(readonly header: ZeekTsvHeader) {
    const columns = {} as Record<ZeekConnField, number>;
    for (const field of ZEEK_CONN_FIELDS) columns[field] = header.fields.indexOf(field);
    this.columns = columns;
  }

  decode(text: string) {
    const { separator, unsetField, emptyField, fields } = this.header;
    const values = text.split(separator);
    if (values.length !== fields.length) {
      throw new DecodeFault('column_count', `line has ${values.length} columns, the header declares ${fields.length}`);
    }
    return zeekConnEvent((field) => {
      const value = values[this.columns[field]];
      if (value === undefined || value === unsetField || value === emptyField) return undefined;
      return value.indexOf('\\x') === -1 ? value : unescapeZeek(value);
    });
  }
}

function headerSkip(name: string): DecodeResult {
  return { ok: true, kind: 'skip', skip: { reason: 'header', message: `${name} header line` } };
}

/** Undoes Zeek's `\xHH` escaping of separators and non-printable bytes. */
function unescapeZeek(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
