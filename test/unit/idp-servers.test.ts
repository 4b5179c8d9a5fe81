// What the identity-provider connectors' cases cannot say: the loopback Keycloak, Kratos and
// authentik refuse as the real ones do (per their source, named in each server's header), so a
// connector that skipped a step of the handshake would fail against them, not pass.
import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { newBrowser } from '../connectors/harness';
import type { Browser } from '../connectors/servers/case-server';
import { ServerPool } from '../connectors/servers/index';
import type { AuthentikCaseServer } from '../connectors/servers/authentik';
import type { KeycloakCaseServer } from '../connectors/servers/keycloak';
import type { KratosCaseServer } from '../connectors/servers/kratos';

const pool = new ServerPool();
afterAll(() => pool.closeAll());

const b64url = (b: Buffer) => b.toString('base64url');
const VERIFIER = 'a'.repeat(43);
const CHALLENGE = b64url(createHash('sha256').update(VERIFIER).digest());

describe('loopback Keycloak refuses as Keycloak does', () => {
  let kc: KeycloakCaseServer;
  let browser: Browser;
  beforeEach(async () => {
    kc = (await pool.get('keycloak')) as KeycloakCaseServer;
    await kc.reset();
    browser = newBrowser();
  });

  const consoleUrl = () => `${kc.native.issuer}/account/`;
  /** The authorization request's answer, its redirect not followed: [status, Location]. */
  async function authorize(params: Record<string, string>): Promise<[number, URL | null]> {
    const query = new URLSearchParams({ client_id: 'account-console', redirect_uri: consoleUrl(), response_type: 'code', state: 's1', prompt: 'none', code_challenge: CHALLENGE, code_challenge_method: 'S256', ...params });
    const res = await browser.fetch(`${kc.native.issuer}/protocol/openid-connect/auth?${query}`, { redirect: 'manual' });
    await res.body?.cancel();
    const location = res.headers.get('location');
    return [res.status, location ? new URL(location) : null];
  }
  const exchange = (code: string, form: Record<string, string> = {}) =>
    browser.fetch(`${kc.native.issuer}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'account-console', code, redirect_uri: consoleUrl(), code_verifier: VERIFIER, ...form }).toString(),
    });

  it('signed out with prompt=none: error=login_required back at the console, never a code', async () => {
    const [status, location] = await authorize({});
    expect(status).toBe(302);
    expect(location?.searchParams.get('error')).toBe('login_required');
    expect(location?.searchParams.has('code')).toBe(false);
  });

  it('a redirect URI outside the console, or another client, is an error page, not a redirect', async () => {
    await kc.act('sign-in', {}, browser);
    expect(await authorize({ redirect_uri: 'https://evil.example/' })).toEqual([400, null]);
    expect(await authorize({ client_id: 'admin-cli' })).toEqual([400, null]);
  });

  it('without PKCE S256 there is no code', async () => {
    await kc.act('sign-in', {}, browser);
    const attempts: Record<string, string>[] = [{ code_challenge_method: 'plain' }, { code_challenge: '' }, { code_challenge: 'short' }];
    for (const params of attempts) {
      const [, location] = await authorize(params);
      expect(location?.searchParams.get('error')).toBe('invalid_request');
      expect(location?.searchParams.has('code')).toBe(false);
    }
  });

  it('a code is exchanged once, with its verifier and redirect URI only; fragment mode hides it from the query', async () => {
    await kc.act('sign-in', {}, browser);
    const [, fragment] = await authorize({ response_mode: 'fragment' });
    expect(fragment?.searchParams.has('code')).toBe(false);
    expect(new URLSearchParams(fragment!.hash.slice(1)).has('code')).toBe(true);

    const codeOf = async () => (await authorize({}))[1]!.searchParams.get('code')!;
    const wrongVerifier = await exchange(await codeOf(), { code_verifier: 'b'.repeat(43) });
    expect([wrongVerifier.status, await wrongVerifier.json()]).toEqual([400, { error: 'invalid_grant', error_description: 'PKCE verification failed: Code mismatch' }]);
    const wrongRedirect = await exchange(await codeOf(), { redirect_uri: `${consoleUrl()}x` });
    expect(await wrongRedirect.json()).toMatchObject({ error_description: 'Incorrect redirect_uri' });

    const code = await codeOf();
    const first = await exchange(code);
    expect(first.status).toBe(200);
    const { access_token: token } = (await first.json()) as { access_token: string };
    const again = await exchange(code);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant', error_description: 'Code not valid' });

    // The account API takes the bearer only with Accept: application/json; without it, the console's page.
    const devices = (accept: string, auth?: string) => browser.fetch(`${kc.native.issuer}/account/sessions/devices`, { headers: { accept, ...(auth ? { authorization: auth } : {}) } });
    expect((await devices('application/json', `Bearer ${token}`)).status).toBe(200);
    expect((await devices('application/json')).status).toBe(401);
    expect((await devices('text/html', `Bearer ${token}`)).headers.get('content-type')).toContain('text/html');
  });
});

describe('loopback Kratos refuses as Kratos does', () => {
  it("does not end the cookie's own session from the list, and a logout token must be that session's", async () => {
    const k = (await pool.get('kratos')) as KratosCaseServer;
    await k.reset();
    const browser = newBrowser();
    await k.act('sign-in', {}, browser);
    const other = k.native.signInElsewhere(k.native.sessions[0]!.identityId, 'curl/8', '192.0.2.9');
    const mine = k.native.sessions[0]!;
    const own = await browser.fetch(`${k.origin}/sessions/${mine.id}`, { method: 'DELETE', headers: { accept: 'application/json' } });
    expect([own.status, await own.json()]).toMatchObject([400, { error: { message: 'cannot revoke current session' } }]);
    const foreign = await browser.fetch(`${k.origin}/self-service/logout?token=${other.logoutToken}`, { headers: { accept: 'application/json' } });
    expect(foreign.status).toBe(403);
    expect(k.native.sessions.every((s) => s.active)).toBe(true);
  });
});

describe('loopback authentik refuses as Django and DRF do', () => {
  it('an unsafe request needs the CSRF header matching its cookie and no foreign Origin; refused, nothing ends', async () => {
    const a = (await pool.get('authentik')) as AuthentikCaseServer;
    await a.reset();
    const browser = newBrowser();
    await a.act('sign-in', {}, browser);
    const other = a.native.signInElsewhere('alice', 'curl/8', '192.0.2.9');
    const csrf = browser.jar.get(`${a.origin}/`, 'authentik_csrf')!;
    const del = async (headers: Record<string, string>) => {
      const res = await browser.fetch(`${a.origin}/api/v3/core/authenticated_sessions/${other.uuid}/`, { method: 'DELETE', headers });
      return [res.status, res.status === 204 ? null : ((await res.json()) as { detail: string }).detail];
    };
    expect(await del({})).toEqual([403, 'CSRF Failed: CSRF token missing.']);
    expect(await del({ 'x-csrftoken': csrf })).toEqual([403, 'CSRF Failed: CSRF token missing.']);
    expect(await del({ 'x-authentik-csrf': csrf, origin: 'chrome-extension://abc' })).toEqual([403, 'CSRF Failed: Origin checking failed - chrome-extension://abc does not match any trusted origins.']);
    expect(a.native.sessions).toHaveLength(2);
    expect(await del({ 'x-authentik-csrf': csrf, origin: a.origin })).toEqual([204, null]);
    expect(a.native.sessions).toHaveLength(1);
  });
});
