import { Router } from 'express';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(next: string, failed: boolean): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ipscope — log in</title>
<link rel="stylesheet" href="/login.css">
</head>
<body>
<main>
<h1>ipscope</h1>
<form method="post" action="/api/session">
<label for="token">Access token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="${escapeHtml(next)}">
${failed ? '<p role="alert" data-testid="login-failed">That is not the access token.</p>' : ''}
<button type="submit">Log in</button>
</form>
</main>
</body>
</html>
`;
}

const css = `body{margin:0;min-height:100vh;display:grid;place-items:center;background:#0f1419;color:#e6e6e6;font:16px system-ui,sans-serif}
main{width:min(22rem,90vw)}h1{font-weight:600}form{display:grid;gap:.6rem}
input{padding:.5rem;border:1px solid #3a4350;border-radius:4px;background:#182029;color:inherit;font:inherit}
button{padding:.5rem;border:0;border-radius:4px;background:#3d7dd8;color:#fff;font:inherit;cursor:pointer}
[role=alert]{color:#ff8a80;margin:0}`;

/**
 * `GET /login`: a log-in form for browsers that works without script (and so under the strict
 * CSP): it posts the token to `/api/session`, which sets the session cookie and sends the
 * browser on to the page it came for (`next`, a local path only).
 */
export function loginRoutes(safeNext: (next: unknown) => string): Router {
  const router = Router();
  router.get('/login', (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.type('html').send(page(safeNext(req.query.next), req.query.failed === '1'));
  });
  router.get('/login.css', (_req, res) => {
    res.setHeader('cache-control', 'public, max-age=3600');
    res.type('css').send(css);
  });
  return router;
}
