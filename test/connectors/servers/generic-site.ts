/**
 * A plain cookie-session site on loopback, for the "Any site" connector:
 *   GET  /login?user=NAME  signs in: sets `sid` (HttpOnly, the session) and `theme` (not a login cookie)
 *   GET  /logout           ends the session server-side, expires `sid`, redirects to /signed-out
 *   POST /logout           the same, but only with this site's own Origin (like a CSRF check), 303
 *   GET  /me               {user} or 401
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';

export interface GenericSite {
  origin: string;
  /** Live server-side sessions: sid -> user. */
  sessions: Map<string, string>;
  close(): Promise<void>;
}

function readSid(req: http.IncomingMessage): string | undefined {
  const header = req.headers.cookie ?? '';
  return /(?:^|;\s*)sid=([^;]+)/.exec(header)?.[1];
}

export async function startGenericSite(): Promise<GenericSite> {
  const sessions = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const sid = readSid(req);
    if (url.pathname === '/login') {
      const user = url.searchParams.get('user') ?? 'someone';
      const id = randomBytes(16).toString('hex');
      sessions.set(id, user);
      res.setHeader('set-cookie', [`sid=${id}; Path=/; HttpOnly; SameSite=Lax`, 'theme=dark; Path=/; Max-Age=31536000']);
      res.writeHead(302, { location: '/me' }).end();
    } else if (url.pathname === '/logout') {
      if (req.method === 'POST' && req.headers.origin !== origin) {
        res.writeHead(403, { 'content-type': 'text/plain' }).end('cross-origin logout refused');
        return;
      }
      if (sid) sessions.delete(sid);
      res.setHeader('set-cookie', 'sid=; Path=/; HttpOnly; Max-Age=0');
      res.writeHead(req.method === 'POST' ? 303 : 302, { location: '/signed-out' }).end();
    } else if (url.pathname === '/me') {
      const user = sid ? sessions.get(sid) : undefined;
      res.writeHead(user ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ user: user ?? null }));
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Example site</title><a href="/login?user=alice">Sign in</a>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    sessions,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
