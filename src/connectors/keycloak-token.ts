/**
 * An access token of Keycloak's account console, got the way the console itself gets one (files
 * named in ./keycloak.ts): an authorization code with PKCE (S256) for client `account-console`,
 * asked with prompt=none so that this browser's KEYCLOAK_IDENTITY cookie alone answers it (no
 * password, no login page), then exchanged at the token endpoint.
 *
 * The code comes back on a redirect to the console's own address. A browser extension cannot read
 * a redirect it does not follow (an opaque response), and the final URL of a followed one has no
 * #fragment: so the request asks response_mode=query (keycloak-js asks for fragment), the redirect
 * is followed, and the code is read from the query of the URL it ended on.
 *
 * The token is used for one operation and dropped, never stored: it lives 300 s, and a fresh one
 * per operation always reflects this browser's Keycloak sign-in as it is now (signed out here, no
 * token).
 */
import { readJson, objectOf, pageChanged, type Service } from './json-api';
import { connectorError } from './common';
import { ConnectorError, type ConnectorContext } from './types';

export const CONSOLE_CLIENT = 'account-console';

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** RFC 7636: a verifier of 43 unreserved characters (32 random bytes) and its S256 challenge. */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url(globalThis.crypto.getRandomValues(new Uint8Array(32)));
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}

/** What a silent authorization request ended with. */
export type Authorization = { code: string } | { error: string; description?: string };

/** Asks the realm's authorization endpoint for a code with this browser's cookie, and reads the redirect's end. */
async function authorize(ctx: ConnectorContext, service: Service, realm: string, challenge: string): Promise<Authorization> {
  const redirectUri = `${realm}/account/`;
  const state = base64url(globalThis.crypto.getRandomValues(new Uint8Array(16)));
  const query = new URLSearchParams({
    client_id: CONSOLE_CLIENT,
    redirect_uri: redirectUri,
    response_type: 'code',
    response_mode: 'query',
    scope: 'openid',
    prompt: 'none',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const res = await ctx.fetch(`${realm}/protocol/openid-connect/auth?${query}`, { headers: { accept: 'text/html' } });
  await res.text().catch(() => '');
  let landed: URL;
  try {
    landed = new URL(res.url);
  } catch {
    throw pageChanged(service, 'the sign-in request ended nowhere Revoke can read');
  }
  const where = `HTTP ${res.status} ${landed.pathname}`;
  if (`${landed.origin}${landed.pathname}` !== redirectUri) {
    // Keycloak's own error page (no such client, a refused redirect URI), a login page that ignored
    // prompt=none, or something else in front of it: none of them is Keycloak's answer.
    if (res.status >= 500) throw connectorError('server', { key: 'connErr_serverAt', subs: [service.name, service.host, String(res.status)] }, where);
    throw pageChanged(service, `${where}: the sign-in request did not come back to the account console`);
  }
  const p = landed.searchParams;
  if (p.get('state') !== state) throw pageChanged(service, `${where}: the answer is not to Revoke's request (state)`);
  // RFC 9207: Keycloak names itself; an answer from another issuer is not this realm's.
  const iss = p.get('iss');
  if (iss !== null && iss !== realm) throw pageChanged(service, `${where}: answered by another issuer`);
  const code = p.get('code');
  if (code) return { code };
  const error = p.get('error');
  if (!error) throw pageChanged(service, `${where}: neither a code nor an error`);
  const description = p.get('error_description');
  return description ? { error, description } : { error };
}

function refused(service: Service, a: { error: string; description?: string }): ConnectorError {
  const detail = `${a.error}${a.description ? `: ${a.description.slice(0, 120)}` : ''}`;
  if (a.error === 'interaction_required' || a.error === 'consent_required') {
    return connectorError('reauth', { key: 'words_signInAgainFirst', subs: [service.name, service.host] }, detail);
  }
  if (a.error === 'access_denied' || a.error === 'unauthorized_client') {
    return connectorError('forbidden', { key: 'words_consoleNotAllowed', subs: [service.name, service.host] }, detail);
  }
  return pageChanged(service, `the account console's sign-in was refused: ${detail}`);
}

/**
 * A fresh access token of the account console for this browser's Keycloak session, or null when
 * this browser is not signed in to the realm.
 */
export async function consoleToken(ctx: ConnectorContext, service: Service, realm: string): Promise<string | null> {
  const { verifier, challenge } = await pkcePair();
  const answer = await authorize(ctx, service, realm, challenge);
  if ('error' in answer) {
    if (answer.error === 'login_required') return null;
    throw refused(service, answer);
  }
  const path = '/protocol/openid-connect/token';
  const res = await ctx.fetch(`${realm}${path}`, {
    headers: { accept: 'application/json' },
    form: { grant_type: 'authorization_code', client_id: CONSOLE_CLIENT, code: answer.code, redirect_uri: `${realm}/account/`, code_verifier: verifier },
  });
  const a = await readJson(service, res, path);
  const body = objectOf(service, a);
  if (a.status === 200 && typeof body.access_token === 'string' && body.access_token) return body.access_token;
  // Only the error fields are shown: the body of a 200 carries tokens.
  const error = typeof body.error === 'string' ? body.error : 'no access_token';
  const description = typeof body.error_description === 'string' ? body.error_description.slice(0, 120) : '';
  const detail = `HTTP ${a.status} ${path}: ${error}${description ? `: ${description}` : ''}`;
  // The session ended between the two requests: signed out now.
  if (error === 'invalid_grant' && /session not active/i.test(description)) return null;
  if (a.status === 401 || a.status === 403) throw connectorError('forbidden', { key: 'words_consoleRefused', subs: [service.name, service.host] }, detail);
  throw pageChanged(service, detail);
}
