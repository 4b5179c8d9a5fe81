/**
 * "Any site" in real Chromium, linked with no sign-out address: Revoke finds the site's own
 * sign-out (a Django-style POST form with its CSRF field), sends it, shows the old login once to
 * prove the site refused it, and the popup says confirmed; against a site that keeps sessions after
 * its sign-out, the popup says not confirmed and the server indeed still holds the session. A
 * single-page app whose HTML is an empty shell: Revoke presses the script-rendered "Sign out" in a
 * tab it opens in the background, the app's own script ends the session (an API call with its CSRF
 * header), the proof reloads the page with the old login and sees it refused, and the tab is gone;
 * an app that draws its "Sign out" only once its avatar menu opens gets that menu opened (never its
 * notifications menu) and the same result;
 * the same in Firefox (its background tab: about:blank first, no URL without host permission).
 */
import { resolve } from 'node:path';
import puppeteer, { type Browser as Firefox, type Page as FirefoxPage } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFrameworkSite, type FrameworkSite } from '../connectors/servers/framework-sites';
import { launch, removeProfile, type Launched } from './harness';

describe('"Any site" signs out through the site\'s own sign-out, from the popup', () => {
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

  async function signOutFromPopup(flavour: 'django' | 'keeps' | 'spa' | 'spa-menu' | 'none', keepSessions = false) {
    const site = await startFrameworkSite(flavour);
    site.keepSessions = keepSessions;
    sites.push(site);
    const page = await b.ctx.newPage();
    await page.goto(`${site.origin}/login?user=alice`);
    expect(site.sessions.size).toBe(1);
    const sid = [...site.sessions.keys()][0]!;
    const options = await b.page('options.html');
    const link = await options.evaluate((url) => chrome.runtime.sendMessage({ type: 'accounts/link', body: { connectorId: 'generic', url, settings: {}, label: url } }), site.origin);
    expect(link, JSON.stringify(link)).toMatchObject({ ok: true });
    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const region = popup.getByRole('region', { name: new RegExp(new URL(site.origin).host.replace(/\./g, '\\.')) });
    await region.getByRole('button', { name: 'Sign out here' }).click();
    await region.getByLabel('Reason').selectOption('shared-computer');
    await region.getByRole('button', { name: 'Sign out here' }).last().click();
    const result = region.locator('[data-outcome]:not([data-outcome="working"])').last();
    // A sign-out in a background tab loads the page twice and waits for its script (bounded at 60 s).
    await result.waitFor({ timeout: 45_000 });
    return { site, sid, status: await result.getAttribute('data-outcome'), text: (await result.textContent()) ?? '', cookies: await b.sw.evaluate((url) => chrome.cookies.getAll({ url }).then((l) => l.length), site.origin) };
  }

  it('Django-style site: confirmed, and the server ended the session', async () => {
    const r = await signOutFromPopup('django');
    expect(r.status, r.text).toBe('confirmed');
    expect(r.text).toMatch(/own sign-out, “Log out” \(a form sent to \/accounts\/logout\/ on \/\).*refused it/);
    expect(r.site.sessions.has(r.sid)).toBe(false);
    expect(r.cookies).toBe(0);
  });

  it('a site that keeps sessions: not confirmed, says to change the password, and the server still holds it', async () => {
    const r = await signOutFromPopup('keeps');
    expect(r.status, r.text).toBe('not-confirmed');
    expect(r.text).toMatch(/still accepts that login.*change the password/);
    expect(r.site.sessions.has(r.sid)).toBe(true);
    expect(r.cookies).toBe(0);
  });

  it('single-page app: its script-rendered “Sign out” pressed in a background tab, confirmed, the session ended, the tab closed', async () => {
    const r = await signOutFromPopup('spa');
    expect(r.status, r.text).toBe('confirmed');
    expect(r.text).toMatch(/in a background tab, with the site's own “Sign out” button \(on \/\).*asked to sign in.*refused the old login/);
    expect(r.site.sessions.has(r.sid)).toBe(false);
    // Ended by the app's own request, with its CSRF header; the look-alike was never pressed.
    expect(r.site.requests).toContain('POST /api/logout');
    expect(r.site.requests).not.toContain('POST /api/logout-others');
    expect(r.cookies).toBe(0);
    // No tab of the site is left open (the one the test signed in with aside).
    const open = b.ctx.pages().filter((p) => p.url().startsWith(r.site.origin));
    expect(open.length).toBe(1);
  });

  it('single-page app whose “Sign out” is drawn only once its avatar menu opens: the menu opened, nothing else, confirmed', async () => {
    const r = await signOutFromPopup('spa-menu');
    expect(r.status, r.text).toBe('confirmed');
    expect(r.text).toMatch(/in a background tab, with the site's own “Sign out” button \(on \/, in its menu “Open user menu”, which Revoke opened\).*refused the old login/);
    expect(r.site.sessions.has(r.sid)).toBe(false);
    expect(r.site.requests).toContain('POST /api/logout');
    // The notifications menu (whose click marks everything read) and the look-alike were never pressed.
    expect(r.site.requests).not.toContain('POST /api/notifications/read');
    expect(r.site.requests).not.toContain('POST /api/logout-others');
    expect(r.cookies).toBe(0);
    expect(b.ctx.pages().filter((p) => p.url().startsWith(r.site.origin))).toHaveLength(1);
  });

  it('single-page app that keeps sessions after its sign-out: the old login, put back, still shows “Sign out”: not confirmed', async () => {
    const r = await signOutFromPopup('spa', true);
    expect(r.status, r.text).toBe('not-confirmed');
    expect(r.text).toMatch(/in a background tab, with the site's own “Sign out” button.*still showed its sign-out “Sign out”.*still accepts that login.*change the password/);
    expect(r.site.requests).toContain('POST /api/logout');
    expect(r.site.sessions.has(r.sid)).toBe(true);
    expect(r.cookies).toBe(0);
  });

  it('a “Log out” button whose script does nothing: pressed, says nothing happened, not confirmed, and the server still holds the session', async () => {
    const r = await signOutFromPopup('none');
    expect(r.status, r.text).toBe('not-confirmed');
    expect(r.text).toMatch(/with the site's own “Log out” button.*still showed the button after it was pressed.*still accepts that login\. If/);
    expect(r.site.sessions.has(r.sid)).toBe(true);
    expect(r.cookies).toBe(0);
  });
});

describe('Firefox: a single-page app signed out in a background tab', () => {
  let site: FrameworkSite;
  let browser: Firefox;
  let popup: FirefoxPage | undefined;
  beforeAll(async () => {
    site = await startFrameworkSite('spa');
    browser = await puppeteer.launch({ browser: 'firefox', executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', headless: true });
    await browser.installExtension(resolve(import.meta.dirname, '../../dist-e2e-firefox'));
    for (let i = 0; i < 100 && !popup; i++) {
      for (const p of await browser.pages()) {
        if ((await p.evaluate(() => location.href).catch(() => '')).endsWith('/popup.html')) popup = p;
      }
      if (!popup) await new Promise((r) => setTimeout(r, 200));
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('presses the app’s “Sign out”, confirmed, and the server ended the session', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.origin}/login?user=alice`);
    const sid = [...site.sessions.keys()][0]!;
    const result = await popup!.evaluate(async (url) => {
      const send = (type: string, body: unknown) => (globalThis as any).browser.runtime.sendMessage({ type, body });
      const link = await send('accounts/link', { connectorId: 'generic', url, settings: {} });
      if (!link.ok) return { link };
      return { revoke: await send('sessions/revoke', { accountId: link.value.account.id, target: 'all', reason: { kind: 'shared-computer' } }) };
    }, site.origin);
    expect(result.revoke, JSON.stringify(result)).toMatchObject({ ok: true, value: { status: 'confirmed', seen: expect.stringMatching(/in a background tab, with the site's own “Sign out” button.*refused the old login/) } });
    expect(site.sessions.has(sid)).toBe(false);
    expect(site.requests).toContain('POST /api/logout');
    expect((await browser.pages()).filter((p) => p.url().startsWith(site.origin))).toHaveLength(1);
  }, 60_000);
});
