/**
 * A loopback stand-in for a better-auth app, for timing only: it answers the two reads a look makes
 * (GET {base}/get-session and GET {base}/list-sessions) after a fixed delay, at a cost per request
 * that is negligible next to it (a map lookup and a small JSON body), so an audit's figure measures
 * Revoke's parallelism and not the server's throughput. The real better-auth server
 * (test/servers/better-auth, whose handshake and refusals the connector cases check) spends about
 * 3.5 ms of CPU per request in this same process, which on two shared cores is most of the gap
 * between 1 and 50 accounts; bench/watch.ts prints that figure beside this one.
 *
 * The shapes are better-auth 1.7's (dist/api/routes/session.mjs, as src/connectors/better-auth.ts
 * reads them): get-session gives {session, user} or null; list-sessions gives the user's sessions
 * (id, token, userId, ipAddress, userAgent, createdAt, updatedAt, expiresAt), or 401 signed out.
 * The session cookie is better-auth's: "better-auth.session_token" = "<token>.<signature>". Any
 * host name reaches it (aN.localhost), each its own origin and cookie jar in the browser.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const BASE = '/api/auth';
export const STANDIN_COOKIE = 'better-auth.session_token';

interface StandInSession {
  id: string;
  token: string;
  userId: string;
  ipAddress: string;
  userAgent: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

export interface BetterAuthStandIn {
  origin: (host: string) => string;
  /** Signs user `n` in from this browser and elsewhere; the value of this browser's session cookie. */
  signIn(n: number): string;
  /** Requests answered so far. */
  readonly answered: number;
  close(): Promise<void>;
}

export async function startBetterAuthStandIn({ delayMs }: { delayMs: number }): Promise<BetterAuthStandIn> {
  const byToken = new Map<string, StandInSession>();
  const byUser = new Map<string, StandInSession[]>();
  let answered = 0;
  const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
  const session = (userId: string, token: string, userAgent: string): StandInSession => ({
    id: `id-${token}`, token, userId, ipAddress: '127.0.0.1', userAgent,
    createdAt: at(3_600_000), updatedAt: at(60_000), expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  });

  const currentOf = (req: IncomingMessage): StandInSession | undefined => {
    const pair = (req.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${STANDIN_COOKIE}=`));
    const token = pair ? decodeURIComponent(pair.slice(STANDIN_COOKIE.length + 1)).split('.')[0] : undefined;
    return token === undefined ? undefined : byToken.get(token);
  };

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    answered++;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').replace(/\?.*/, '');
    if (req.method !== 'GET' || (path !== `${BASE}/get-session` && path !== `${BASE}/list-sessions`)) {
      answer(res, 404, null);
      return;
    }
    setTimeout(() => {
      const current = currentOf(req);
      if (path === `${BASE}/get-session`) {
        answer(res, 200, current ? { session: current, user: { id: current.userId, email: `${current.userId}@revoke.test`, name: current.userId } } : null);
      } else if (!current) {
        answer(res, 401, { code: 'UNAUTHORIZED', message: 'Unauthorized' });
      } else {
        answer(res, 200, byUser.get(current.userId) ?? []);
      }
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    origin: (host) => `http://${host}:${port}`,
    signIn(n) {
      const userId = `user${n}`;
      const mine = session(userId, `t${n}-${byToken.size}`, 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36');
      const other = session(userId, `t${n}-${byToken.size + 1}`, 'curl/8.5.0');
      for (const s of [mine, other]) byToken.set(s.token, s);
      byUser.set(userId, [...(byUser.get(userId) ?? []), mine, other]);
      return `${mine.token}.signature`;
    },
    get answered() {
      return answered;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
