// What the Rails connectors' cases cannot say: the loopback servers refuse as Rails does (no token,
// a foreign Origin, signed out), two instances stay apart in one browser, and rows are read per row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mastodonConnector } from '../../src/connectors/mastodon';
import { readRows } from '../../src/connectors/rails';
import { asSessionList, ConnectorError } from '../../src/connectors/types';
import { caseAccount, contextFor, loadHtmlParser, newBrowser } from '../connectors/harness';
import { ServerPool } from '../connectors/servers/index';
import type { GitLabCaseServer } from '../connectors/servers/gitlab';
import type { MastodonCaseServer } from '../connectors/servers/mastodon';

const pool = new ServerPool();
afterAll(() => pool.closeAll());
beforeAll(() => loadHtmlParser());

describe('loopback Mastodon refuses as Mastodon does', () => {
  it('without the authenticity token, or with a foreign Origin: 422 and the session stays', async () => {
    const server = (await pool.get('mastodon')) as MastodonCaseServer;
    await server.reset();
    const browser = newBrowser();
    await server.act('sign-in', {}, browser);
    const other = server.native.signInElsewhere('alice@example.social', 'curl/8', '192.0.2.9');
    const post = (body: Record<string, string>, headers: Record<string, string> = {}) =>
      browser.fetch(`${server.origin}/settings/sessions/${other.id}`, {
        method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body).toString(),
      });
    expect((await post({ _method: 'delete' })).status).toBe(422);
    const page = await (await browser.fetch(`${server.origin}/auth/edit`, {})).text();
    const token = /name="csrf-token" content="([^"]+)"/.exec(page)![1]!;
    expect((await post({ _method: 'delete', authenticity_token: token }, { origin: 'chrome-extension://abc' })).status).toBe(422);
    expect(server.native.activations.some((a) => a.id === other.id)).toBe(true);
    const ok = await post({ _method: 'delete', authenticity_token: token }, { origin: server.origin });
    expect([ok.status, ok.headers.get('location')]).toEqual([302, `${server.origin}/auth/edit`]);
    expect(server.native.activations.some((a) => a.id === other.id)).toBe(false);
  });

  it('signed out, the settings pages redirect to /auth/sign_in', async () => {
    const server = (await pool.get('mastodon')) as MastodonCaseServer;
    for (const path of ['/auth/edit', '/oauth/authorized_applications']) {
      const res = await newBrowser().fetch(`${server.origin}${path}`, { redirect: 'manual' });
      expect([res.status, res.headers.get('location')]).toEqual([302, `${server.origin}/auth/sign_in`]);
    }
  });
});

describe('loopback GitLab refuses as GitLab does', () => {
  it('signed out, even an unsafe request redirects to sign-in (authenticate_user! runs first); signed in, no token is 422', async () => {
    const server = (await pool.get('gitlab')) as GitLabCaseServer;
    await server.reset();
    const other = server.native.signInElsewhere('alice', 'curl/8', '192.0.2.9');
    const del = (browser: ReturnType<typeof newBrowser>, body: Record<string, string>) =>
      browser.fetch(`${server.origin}/-/user_settings/active_sessions/${other.privateId}`, {
        method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString(),
      });
    const stranger = await del(newBrowser(), { _method: 'delete' });
    expect([stranger.status, stranger.headers.get('location')]).toEqual([302, `${server.origin}/users/sign_in`]);
    expect((await newBrowser().fetch(`${server.origin}/api/v4/user`, {})).status).toBe(401);
    const browser = newBrowser();
    await server.act('sign-in', {}, browser);
    expect((await del(browser, { _method: 'delete' })).status).toBe(422);
    expect(server.native.activeSessions).toContain(other);
    const page = await (await browser.fetch(`${server.origin}/-/user_settings/active_sessions`, {})).text();
    const token = /name="csrf-token" content="([^"]+)"/.exec(page)![1]!;
    expect((await del(browser, { _method: 'delete', authenticity_token: token })).status).toBe(302);
    expect(server.native.activeSessions).not.toContain(other);
    expect(server.native.forgetMeCount).toBe(1);
  });
});

describe('two Mastodon instances in one browser', () => {
  it('are two accounts: each lists and ends only its own sessions', async () => {
    const a = (await pool.get('mastodon')) as MastodonCaseServer;
    const b = (await pool.get('mastodon-b')) as MastodonCaseServer;
    await a.reset();
    await b.reset();
    const browser = newBrowser();
    await a.act('sign-in', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' }, browser);
    await b.act('sign-in', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' }, browser);
    a.native.signInElsewhere('alice@example.social', 'curl/8', '192.0.2.1');
    b.native.signInElsewhere('alice@example.social', 'curl/8', '192.0.2.2');
    b.native.signInElsewhere('alice@example.social', 'curl/8', '192.0.2.3');
    const ctxA = contextFor(mastodonConnector, caseAccount(mastodonConnector, a), browser);
    const ctxB = contextFor(mastodonConnector, caseAccount(mastodonConnector, b), browser);
    expect(asSessionList(await mastodonConnector.listSessions!(ctxA)).sessions.map((s) => s.ip ?? 'none').sort()).toEqual(['127.0.0.1', '192.0.2.1']);
    expect(asSessionList(await mastodonConnector.listSessions!(ctxB)).sessions.map((s) => s.ip ?? 'none').sort()).toEqual(['127.0.0.1', '192.0.2.2', '192.0.2.3']);
    await mastodonConnector.revoke!(ctxA, 'all');
    expect(await mastodonConnector.whoami(ctxA)).toBeNull();
    expect(await mastodonConnector.whoami(ctxB)).toEqual({ account: 'alice@example.social', sessionId: 'current' });
    expect(b.native.activations).toHaveLength(3);
  });
});

describe('readRows', () => {
  const html = `<ul class="list"><li class="note">not a row</li><li class="row"><b>one</b><i>1</i></li><li class="row"><b>two</b></li></ul>`;
  const site = { service: 'Test', base: 'http://127.0.0.1:1', signInPath: '/sign_in' };

  it('reads each field inside its own row, whatever else sits beside the rows', async () => {
    const ctx = contextFor(mastodonConnector, { id: 'x', connectorId: 'mastodon', origin: site.base, settings: {} }, newBrowser());
    expect(await readRows(ctx, site, html, 'ul.list > li.row', { name: 'b', n: 'i' }, ['name'])).toEqual([{ name: 'one', n: '1' }, { name: 'two', n: undefined }]);
  });

  it('a row without a required field is page-changed', async () => {
    const ctx = contextFor(mastodonConnector, { id: 'x', connectorId: 'mastodon', origin: site.base, settings: {} }, newBrowser());
    const e = await readRows(ctx, site, html, 'ul.list > li.row', { name: 'b', n: 'i' }, ['n']).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConnectorError);
    expect((e as ConnectorError).kind).toBe('page-changed');
    expect((e as ConnectorError).detail).toBe('row 2 of "ul.list > li.row" has no n');
  });
});
