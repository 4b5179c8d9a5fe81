/**
 * Panic in real Chromium: three loopback sites signed in (Django-shaped, each its own cookie site:
 * 127.0.0.1, b.localhost, c.localhost), the first linked as "Any site", the third kept. Turned on in
 * the options section (the permission asked in that click; the test build holds it already), the
 * keep-list picked from the sites with their cookie counts, then the popup's panic with its confirm:
 * the linked site is signed out through its own sign-out (the server ended the session and refuses
 * the old cookie replayed), the second is cleared in this browser only (said so; its server session
 * lives on, as nothing asked it), the kept one is untouched (cookies, server session, no request to
 * its sign-out). One audit record with a line per site. REVOKE_SHOTS (a folder): the options
 * section and the popup's confirm and report, light and dark.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFrameworkSite, type FrameworkSite } from '../connectors/servers/framework-sites';
import { launch, removeProfile, type Launched } from './harness';

const shots = process.env.REVOKE_SHOTS;
async function shoot(page: Page, name: string) {
  if (!shots) return;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${shots}/${name}-${scheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: null });
}

describe('panic', () => {
  let b: Launched;
  const sites: FrameworkSite[] = [];
  beforeAll(async () => {
    b = await launch();
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await Promise.all(sites.map((s) => s.close()));
  });

  async function signedIn(host: string) {
    const site = await startFrameworkSite('django', { host });
    sites.push(site);
    const page = await b.ctx.newPage();
    await page.goto(`${site.origin}/login?user=alice`);
    await page.close();
    expect(site.sessions.size).toBe(1);
    return { site, sid: [...site.sessions.keys()][0]! };
  }
  const cookieCount = (origin: string) => b.sw.evaluate((url) => chrome.cookies.getAll({ url }).then((l) => l.length), origin);

  it('signs out the linked site, clears the other in this browser only, leaves the kept one untouched', async () => {
    const linked = await signedIn('127.0.0.1');
    const other = await signedIn('b.localhost');
    const kept = await signedIn('c.localhost');
    for (const s of [linked, other, kept]) expect(await cookieCount(s.site.origin)).toBe(2); // session + csrftoken

    const options = await b.page('options.html#panic');
    const link = await options.evaluate((url) => chrome.runtime.sendMessage({ type: 'accounts/link', body: { connectorId: 'generic', url, settings: {} } }), linked.site.origin);
    expect(link, JSON.stringify(link)).toMatchObject({ ok: true });

    await options.getByRole('heading', { name: 'Panic' }).waitFor();
    // Off until turned on. (The test build holds the all-sites permission from install, so the
    // sites are listed before that; a store install sees them only once panic asked for it.)
    await expect.poll(() => options.getByLabel('Panic is available').isChecked()).toBe(false);
    await options.getByLabel('Panic is available').check();
    const list = options.getByRole('list', { name: 'Sites this browser holds cookies for' });
    const row = (host: string) => list.getByRole('listitem').filter({ hasText: host });
    for (const host of ['127.0.0.1', 'b.localhost', 'c.localhost']) await expect.poll(() => row(host).textContent()).toContain('2 cookies');
    await row('c.localhost').getByRole('checkbox').check();
    await options.getByText('1 site kept.').waitFor();
    await shoot(options, 'options-panic');

    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    await popup.getByRole('button', { name: 'Panic…' }).click();
    const confirm = popup.getByRole('group', { name: 'Confirm panic' });
    await confirm.getByText('except the 1 site you keep?').waitFor();
    await shoot(popup, 'popup-panic-confirm');
    await confirm.getByRole('button', { name: 'Panic: sign out' }).click();
    const result = popup.getByRole('status', { name: 'Panic result' });
    await result.getByText('1 signed out, 1 cleared in this browser only, 0 not confirmed, 0 failed, 1 kept').waitFor({ timeout: 45_000 });
    await shoot(popup, 'popup-panic-report');

    // The linked site: its own sign-out sent, the server ended the session, and refuses the old cookie.
    expect(linked.site.requests).toContain('POST /accounts/logout/');
    expect(linked.site.sessions.has(linked.sid)).toBe(false);
    const replay = await fetch(`${linked.site.origin}/`, { headers: { cookie: `${linked.site.cookie}=${linked.sid}` } });
    expect(await replay.text()).toContain('Log in');
    expect(await cookieCount(linked.site.origin)).toBe(0);
    const linkedLine = result.locator('[data-panic-site="127.0.0.1"]');
    expect(await linkedLine.locator('[data-outcome="confirmed"]').first().textContent()).toMatch(/own sign-out.*refused it/);

    // The other site: cookies gone here; nothing asked its server, and the report says so.
    expect(await cookieCount(other.site.origin)).toBe(0);
    expect(other.site.requests.filter((r) => r.startsWith('POST'))).toEqual([]);
    expect(other.site.sessions.has(other.sid)).toBe(true);
    expect(await result.locator('[data-panic-site="b.localhost"]').textContent()).toMatch(/This browser only: no account is linked at b\.localhost/);

    // The kept site: untouched.
    expect(await cookieCount(kept.site.origin)).toBe(2);
    expect(kept.site.sessions.has(kept.sid)).toBe(true);
    expect(kept.site.requests.filter((r) => r.startsWith('POST'))).toEqual([]);
    expect(await result.locator('[data-panic-site="c.localhost"][data-kept]').textContent()).toMatch(/Kept, untouched \(2 cookies\)/);

    // One audit record, a line per site.
    const audit = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'audit/list', body: { limit: 10 } }));
    const records = (audit as { value: { action: string; panic?: { site: string }[] }[] }).value;
    expect(records.map((r) => r.action)).toEqual(['panic']);
    expect(records[0]!.panic!.map((s) => s.site).sort()).toEqual(['127.0.0.1', 'b.localhost', 'c.localhost']);
    await options.goto(options.url().replace(/#.*$/, '#audit'));
    await options.locator('[data-panic-site="c.localhost"]').waitFor();
  });

  it('the shortcut\'s window (popup.html?panic) opens on the confirm step', async () => {
    const popup = await b.page('popup.html?panic');
    await popup.getByRole('group', { name: 'Confirm panic' }).waitFor();
    expect(await popup.getByRole('tab', { name: 'Sessions' }).getAttribute('aria-selected')).toBe('true');
    await popup.close();
  });

  it('the popup\'s panic, when panic is off, leads to its settings instead of asking', async () => {
    const options = await b.page('options.html#panic');
    await options.getByLabel('Panic is available').uncheck();
    await expect.poll(() => options.getByLabel('Panic is available').isChecked()).toBe(false);
    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    await expect.poll(() => popup.getByRole('button', { name: 'Panic…' }).count()).toBe(0);
    const opened = b.ctx.waitForEvent('page', (p) => p.url().endsWith('options.html#panic'));
    await popup.getByRole('button', { name: 'Set up panic' }).click();
    await (await opened).getByRole('heading', { name: 'Panic' }).waitFor();
  });
});
