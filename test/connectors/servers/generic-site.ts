/**
 * A plain cookie-session site on loopback, for the "Any site" connector:
 *   GET  /login?user=NAME  signs in: sets `sid` (HttpOnly, the session) and `theme` (not a login cookie)
 *   GET  /logout           ends the session server-side, expires `sid`, redirects to /signed-out
 *   POST /logout           the same, but only with this site's own Origin (like a CSRF check), 303
 *   GET  /me               {user} or 401
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { listenOnLoopback } from './loopback';
import { stringArg, unknownAction, type CaseServer } from './case-server';

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
  const loopback = await listenOnLoopback((req, res) => {
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
  const origin = loopback.origin;
  return {
    origin,
    sessions,
    close: loopback.close,
  };
}

// generic-site: actions 'sign-in' {user} (this browser), 'sign-in-elsewhere' {user}.

export interface GenericCaseServer extends CaseServer {
  native: GenericSite;
}

export async function startGenericCaseServer(): Promise<GenericCaseServer> {
  const native = await startGenericSite();
  return {
    native,
    origin: native.origin,
    instanceUrl: native.origin,
    async act(action, args, browser) {
      const user = stringArg(args, 'user', 'alice');
      if (action === 'sign-in') {
        const res = await browser.fetch(`${native.origin}/login?user=${encodeURIComponent(user)}`, {});
        if (!res.ok) throw new Error(`sign-in: HTTP ${res.status}`);
        await res.body?.cancel();
      } else if (action === 'sign-in-elsewhere') {
        await fetch(`${native.origin}/login?user=${encodeURIComponent(user)}`, { redirect: 'manual' });
      } else {
        unknownAction('generic-site', action);
      }
    },
    async liveSessions(browser) {
      const sid = browser.jar.get(`${native.origin}/`, 'sid');
      return { ids: [...native.sessions.keys()], current: sid && native.sessions.has(sid) ? sid : null };
    },
    secrets: () => [...native.sessions.keys()],
    async reset() {
      native.sessions.clear();
    },
    close: () => native.close(),
  };
}
