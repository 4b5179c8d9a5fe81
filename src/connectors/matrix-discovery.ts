/**
 * Finding a Matrix homeserver from a Matrix ID (@me:example.org), as the client-server spec
 * (v1.19, content/client-server-api/_index.md, "Well-known URIs") describes: the server name after
 * the first colon, then GET https://<server name>/.well-known/matrix/client, whose
 * m.homeserver.base_url is the homeserver. A 404 there means "no delegation": the server name
 * itself is the homeserver (the spec's IGNORE). Any other failure is the spec's FAIL_PROMPT: the
 * person types the homeserver's address.
 *
 * Pure, with fetch passed in: the linking form runs it with the page's own fetch, before any host
 * permission exists (the spec asks servers to serve this file with CORS headers, so that works).
 */
import { isLoopbackHost } from '../sessions/accounts';
import { say } from '../i18n/t';

/** "@me:example.org" -> "example.org" (with its port, if any); null when it is not a Matrix user ID. */
export function serverNameOf(userId: string): string | null {
  const m = /^@([^:\s]+):([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/.exec(userId.trim());
  return m ? `${m[2]}${m[3] ?? ''}` : null;
}

export type Discovery = { ok: true; homeserver: string; delegated: boolean } | { ok: false; reason: string };

/** The homeserver's base URL (no trailing slash) for a Matrix user ID. Never throws. */
export async function discoverHomeserver(userId: string, fetch: (url: string, init: RequestInit) => Promise<Response>): Promise<Discovery> {
  const serverName = serverNameOf(userId);
  if (!serverName) return { ok: false, reason: say({ key: 'connErr_mxIdShape' }) };
  // https, as the spec says; plain http only for this computer (test homeservers), as linking allows.
  const scheme = isLoopbackHost(new URL(`http://${serverName}`).hostname) ? 'http' : 'https';
  const direct = `${scheme}://${serverName}`;
  let res: Response;
  try {
    res = await fetch(`${direct}/.well-known/matrix/client`, { headers: { accept: 'application/json' }, credentials: 'omit', redirect: 'follow' });
  } catch {
    return { ok: false, reason: say({ key: 'connErr_mxNoWellKnown', subs: [serverName] }) };
  }
  if (res.status === 404) return { ok: true, homeserver: direct, delegated: false };
  let body: unknown;
  try {
    body = res.ok ? await res.json() : undefined;
  } catch {
    body = undefined;
  }
  const hs = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['m.homeserver'] : undefined;
  const baseUrl = typeof hs === 'object' && hs !== null ? (hs as Record<string, unknown>).base_url : undefined;
  if (typeof baseUrl !== 'string') return { ok: false, reason: say({ key: 'connErr_mxWellKnownNoBase', subs: [serverName] }) };
  try {
    const url = new URL(baseUrl);
    return { ok: true, homeserver: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, delegated: true };
  } catch {
    return { ok: false, reason: say({ key: 'connErr_mxWellKnownBad', subs: [serverName] }) };
  }
}
