import fs from 'node:fs';
import type { CatalogResponse } from '@ipscope/api';
import { CATALOG_ELEMENT_ID, IP_PAGE_CHUNKS_META } from '@ipscope/web/serverContract';

/** A JSON text that cannot end the `<script>` element it sits in. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The built `index.html`, held in memory and re-read when the file changes (a rebuild), in
 * the forms the server sends:
 *
 * - the catalog as a `<script type="application/json">` data block (never run, so the strict
 *   script policy allows it), so the page's first data request need not wait for `/api/metrics`;
 * - on an IP page, `<link rel="modulepreload">` for the page's chunks, which the build lists in
 *   a `<meta>` (the browser starts fetching them with the entry instead of after running it).
 */
/** A form of the page and the code and style files it loads (paths). */
export interface PageForm {
  body: Buffer;
  assets: readonly string[];
}

/** The IP page cut where content may be streamed in: before the end of its body, and the rest. */
export interface SplitPageForm {
  before: Buffer;
  after: Buffer;
  assets: readonly string[];
}

interface Forms {
  plain: PageForm;
  other: PageForm;
  ip: PageForm;
  ipSplit: SplitPageForm;
}

export class IndexPage {
  private mtimeMs = -1;
  private forms: Forms | undefined;
  private readonly catalogScript: string;

  constructor(
    private readonly file: string,
    catalog: CatalogResponse,
  ) {
    this.catalogScript = `<script type="application/json" id="${CATALOG_ELEMENT_ID}">${scriptSafeJson(catalog)}</script>`;
  }

  /** For a browser with access: the catalog in the page, and on an IP page preload links for its chunks. */
  withData(ipPage: boolean): PageForm {
    const forms = this.current();
    return ipPage ? forms.ip : forms.other;
  }

  /** The IP page with data (as `withData(true)`), cut before `</body>` so the server's drawn charts can be streamed in. */
  ipSplit(): SplitPageForm {
    return this.current().ipSplit;
  }

  /** The page as built (no data in it): for a request without access. */
  plain(): PageForm {
    return this.current().plain;
  }

  private current(): Forms {
    const mtimeMs = fs.statSync(this.file).mtimeMs;
    if (this.forms && mtimeMs === this.mtimeMs) return this.forms;
    const html = fs.readFileSync(this.file, 'utf8');
    // Into the head; a page without one (hand-made) gets them at its end, where they work as well.
    const head = html.indexOf('</head>');
    const at = head >= 0 ? head : html.length;
    const chunks = new RegExp(`<meta name="${IP_PAGE_CHUNKS_META}" content="([^"]*)"`).exec(html)?.[1]?.split(' ').filter(Boolean) ?? [];
    const preloads = chunks.map((href) => `<link rel="modulepreload" crossorigin href="${href}">`).join('');
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    const form = (text: string, extra: readonly string[] = []): PageForm => ({ body: Buffer.from(html.slice(0, at) + text + html.slice(at)), assets: [...assets, ...extra] });
    const ip = form(preloads + this.catalogScript, chunks);
    const text = ip.body.toString('utf8');
    const bodyEnd = text.lastIndexOf('</body>');
    const cut = bodyEnd >= 0 ? bodyEnd : text.length;
    const ipSplit = { before: Buffer.from(text.slice(0, cut)), after: Buffer.from(text.slice(cut)), assets: ip.assets };
    this.forms = { plain: form(''), other: form(this.catalogScript), ip, ipSplit };
    this.mtimeMs = mtimeMs;
    return this.forms;
  }
}
