import fs from 'node:fs';
import path from 'node:path';
import type { Request, RequestHandler } from 'express';

/** Content types of the files the build writes under `assets/`; anything else is left to `express.static`. */
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Encodings the build writes beside a file (`precompress` in apps/web), best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/** Held bytes are dropped all at once beyond this (a long-running server across many rebuilds). Default 64 MiB. */
const MAX_HELD_BYTES = 64 * 1024 * 1024;

interface Held {
  body: Buffer;
  encoding: string | undefined;
}

/** Whether the request's Accept-Encoding takes `name` (a `;q=0` refuses it). */
function accepts(req: Request, name: string): boolean {
  const header = req.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';');
    if (coding?.trim().toLowerCase() !== name) return false;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return q === undefined || Number(q) > 0;
  });
}

/**
 * The build's hashed scripts and style sheets (`/assets/*.js|css`), sent from memory in one write
 * with a year of immutable caching, in the best precompressed form the browser accepts (Brotli,
 * gzip, else as built). Each file is read from disk once, when first asked for; a file name
 * changes with its content, so nothing held goes stale, and a rebuild's new files are simply
 * new names. One write from memory keeps a code request short when the event loop is also
 * serving data reads. Anything else (other file types, missing files) goes to `next`.
 */
export function staticFiles(dist: string): RequestHandler {
  const root = path.join(path.resolve(dist), 'assets');
  // null: the file exists but the build wrote no such compressed copy (small files).
  const held = new Map<string, Held | null>();
  let heldBytes = 0;

  const load = (file: string, encoding: (typeof ENCODINGS)[number] | undefined): Held | undefined => {
    const key = `${file}\n${encoding?.name ?? ''}`;
    const hit = held.get(key);
    if (hit !== undefined) return hit ?? undefined;
    let body: Buffer;
    try {
      body = fs.readFileSync(file + (encoding?.suffix ?? ''));
    } catch {
      if (encoding && fs.existsSync(file)) held.set(key, null);
      return undefined;
    }
    if (heldBytes + body.length > MAX_HELD_BYTES) {
      held.clear();
      heldBytes = 0;
    }
    const entry = { body, encoding: encoding?.name };
    held.set(key, entry);
    heldBytes += body.length;
    return entry;
  };

  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const name = req.path.slice(1);
    const type = TYPES[path.extname(name)];
    // Only plain file names directly under assets/ (the build's layout): no directories, no dot files.
    if (!type || !/^[\w-]+(\.[\w-]+)*$/.test(name) || name.startsWith('.')) return next();
    const file = path.join(root, name);
    let found: Held | undefined;
    for (const encoding of ENCODINGS) {
      if (accepts(req, encoding.name) && (found = load(file, encoding))) break;
    }
    found ??= load(file, undefined);
    if (!found) return next();
    res.setHeader('content-type', type);
    res.setHeader('cache-control', 'public, max-age=31536000, immutable');
    res.setHeader('vary', 'accept-encoding');
    if (found.encoding) res.setHeader('content-encoding', found.encoding);
    res.setHeader('content-length', String(found.body.length));
    res.end(req.method === 'HEAD' ? undefined : found.body);
  };
}
