/**
 * A loopback server that misbehaves on purpose, posing as a better-auth API under
 * `/{mode}/get-session` and `/{mode}/list-sessions` (so instanceUrl `${origin}/{mode}`):
 *   script-ua        valid JSON whose strings are HTML/script
 *   huge / huge-chunked   10 MB, with / without content-length
 *   login-redirect / other-redirect / offsite-redirect   302 to /login, /welcome, another origin's /welcome
 *   bad-json / html / wrong-shape / not-array / null-list   bodies that are not what better-auth sends
 *   hang / hang-body  no answer / headers then silence
 *   error-500 / gone-404
 *   post-307 / post-308-here   GETs as a valid API; POSTs redirected, to another origin's /steal / to itself
 *   loop             302 to itself, forever
 *   stale-trimmed    list-sessions refused as better-auth does past a day; get-session's session without its fields
 */
import http from 'node:http';
import { listenOnLoopback } from './loopback';

export const HOSTILE_UA = '<script>alert(1)</script><img src=x onerror="alert(2)"> Mozilla/5.0 (Windows NT 10.0) Chrome/120.0';
export const HOSTILE_TOKEN = 'hostile-token-0123456789abcdef';
const TEN_MB = 10 * 1024 * 1024;

const now = () => new Date().toISOString();
const session = (extra: Record<string, unknown> = {}) => ({
  id: 'hostile-session-1',
  token: HOSTILE_TOKEN,
  userId: 'u1',
  createdAt: now(),
  updatedAt: now(),
  expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  ipAddress: '<b>203.0.113.9</b>',
  userAgent: HOSTILE_UA,
  ...extra,
});
const validGetSession = () => ({ session: session(), user: { id: 'u1', email: '<img src=x onerror=alert(3)>@example.test', name: 'x' } });

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Writes `total` bytes of JSON-ish filler, stopping as soon as the client goes away. */
function stream(res: http.ServerResponse, total: number, withLength: boolean): void {
  res.writeHead(200, { 'content-type': 'application/json', ...(withLength ? { 'content-length': String(total) } : {}) });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = () => {
    while (sent < total && !res.destroyed) {
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  res.on('error', () => undefined);
  pump();
}

export interface HostileServer {
  origin: string;
  /** Requests seen, as "METHOD /path". */
  seen: string[];
  close(): Promise<void>;
}

export async function startHostileServer(): Promise<HostileServer> {
  const seen: string[] = [];
  const loopback = await listenOnLoopback((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const [, mode = '', endpoint = ''] = (req.url ?? '').split('?')[0]!.split('/');
    const isList = endpoint === 'list-sessions';
    switch (mode) {
      case 'script-ua':
        return json(res, 200, isList ? [session({ note: '<iframe src="javascript:alert(4)"></iframe>', nested: { html: '<b>bold</b>' } })] : validGetSession());
      case 'huge':
        return stream(res, TEN_MB, true);
      case 'huge-chunked':
        return stream(res, TEN_MB, false);
      case 'login-redirect':
        return void res.writeHead(302, { location: '/login?next=/api' }).end();
      case 'other-redirect':
        return void res.writeHead(302, { location: '/welcome' }).end();
      case 'offsite-redirect':
        // The same server under another origin (localhost instead of 127.0.0.1).
        return void res.writeHead(302, { location: `http://localhost:${req.socket.localPort}/welcome` }).end();
      case 'login':
      case 'welcome':
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><form action="/login"><input name=password type=password></form>');
      case 'bad-json':
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"session": {"id": ');
      case 'html':
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>Maintenance</body></html>');
      case 'wrong-shape':
        return json(res, 200, isList ? [{ id: 42, token: HOSTILE_TOKEN }] : validGetSession());
      case 'not-array':
        return json(res, 200, isList ? { sessions: [] } : validGetSession());
      case 'stale-trimmed':
        return isList ? json(res, 403, { code: 'SESSION_NOT_FRESH', message: 'Session is not fresh' }) : json(res, 200, { session: { id: 's1' }, user: { email: 'a@example.test' } });
      case 'null-list':
        return json(res, 200, isList ? null : validGetSession());
      case 'hang':
        return; // never answers
      case 'hang-body':
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.write('[');
      case 'post-307':
        if (req.method === 'GET') return json(res, 200, isList ? [session()] : validGetSession());
        return void res.writeHead(307, { location: `http://localhost:${req.socket.localPort}/steal` }).end();
      case 'post-308-here':
        if (req.method === 'GET') return json(res, 200, isList ? [session()] : validGetSession());
        return void res.writeHead(308, { location: `/post-308-here/${endpoint}/` }).end();
      case 'steal':
        return json(res, 200, { status: true });
      case 'loop':
        return void res.writeHead(302, { location: req.url ?? '/' }).end();
      case 'error-500':
        return json(res, 500, { message: 'boom' });
      case 'gone-404':
        return void res.writeHead(404).end();
      default:
        return json(res, 404, { message: `unknown mode ${mode}` });
    }
  });
  return {
    origin: loopback.origin,
    seen,
    close: loopback.close,
  };
}

/** A loopback port with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
