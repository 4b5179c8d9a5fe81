/**
 * Firefox smoke test: Debian's Firefox ESR loads the Firefox build, its
 * background page starts, and the authenticator works as in Chromium (first
 * run, add by link, the right code, lock and unlock). Driven over WebDriver
 * BiDi by puppeteer-core; the test build opens its own popup page in a tab
 * because Firefox refuses a driver's navigation to moz-extension:// pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { resolve } from 'node:path';
import { awayFromBoundary, referenceTotp } from './totp-reference';
import { startBetterAuth, type BetterAuthTestServer } from '../servers/better-auth/server.mjs';

const DIST = resolve(import.meta.dirname, '../../dist-e2e-firefox');
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const SECRET = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';

/** The extension's own tab. Its target URL reads about:blank over BiDi, so ask each page where it is. */
async function findPage(browser: Browser, path: string): Promise<Page> {
  for (let i = 0; i < 100; i++) {
    for (const page of await browser.pages()) {
      const href = await page.evaluate(() => location.href).catch(() => '');
      if (href.startsWith('moz-extension://') && href.endsWith(path)) return page;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the extension did not open ${path}`);
}

describe('Firefox', () => {
  let browser: Browser;
  let popup: Page;
  beforeAll(async () => {
    browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
    await browser.installExtension(DIST);
    popup = await findPage(browser, '/popup.html');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('sets up the vault, adds a code by link and shows the right code', async () => {
    await popup.locator('input[name=password]').fill('firefox vault password');
    await popup.locator('input[name=confirm]').fill('firefox vault password');
    await popup.locator('button[type=submit]').click();
    await popup.waitForFunction(() => document.body.textContent?.includes('No codes yet.'));
    await popup.locator('.empty button.primary').click();
    await popup.locator('textarea[name=uri]').fill(`otpauth://totp/Fox:me@example.test?secret=${SECRET}&issuer=Fox`);
    await popup.locator('form[aria-label="Add from link"] button[type=submit]').click();
    await popup.waitForSelector('.otp');
    await awayFromBoundary();
    const code = await popup.$eval('.otp', (el) => el.getAttribute('data-code'));
    expect(code).toBe(referenceTotp(SECRET, Date.now()));
  });

  it('locks, refuses a wrong password and unlocks', async () => {
    await popup.locator('button[aria-label="Lock"]').click();
    await popup.waitForFunction(() => document.body.textContent?.includes('Revoke is locked'));
    await popup.locator('input[name=password]').fill('not it');
    await popup.locator('button[type=submit]').click();
    await popup.waitForFunction(() => /wrong password/i.test(document.querySelector('[role=alert]')?.textContent ?? ''));
    await popup.locator('input[name=password]').fill('firefox vault password');
    await popup.locator('button[type=submit]').click();
    await popup.waitForSelector('.otp');
  });

  it('lists and ends better-auth sessions (the site’s own Origin passes its origin check)', async () => {
    let ba: BetterAuthTestServer | undefined;
    try {
      ba = await startBetterAuth();
      await ba.createUser('fox@revoke.test', 'fox-password-123');
      await ba.signIn('fox@revoke.test', 'fox-password-123', 'Mozilla/5.0 (Windows NT 10.0) Chrome/131.0', '203.0.113.9');
      const app = await browser.newPage();
      await app.goto(`${ba.origin}/`);
      await app.locator('input[name=email]').fill('fox@revoke.test');
      await app.locator('input[name=password]').fill('fox-password-123');
      await app.locator('button').click();
      await app.waitForFunction(() => document.querySelector('#out')?.textContent?.includes('fox@revoke.test'));
      expect(ba.listSessionsDirect('fox@revoke.test')).toHaveLength(2);

      const result = await popup.evaluate(async (url) => {
        const send = (type: string, body: unknown) => (globalThis as any).browser.runtime.sendMessage({ type, body });
        const link = await send('accounts/link', { connectorId: 'better-auth', url, settings: {} });
        if (!link.ok) return { link };
        const revoke = await send('sessions/revoke', { accountId: link.value.account.id, target: 'others', reason: { kind: 'unrecognised' } });
        return { link, revoke };
      }, ba.baseURL);
      expect(result.link.value.result).toMatchObject({ state: 'ok', whoami: { account: 'fox@revoke.test' } });
      expect(result.link.value.result.sessions).toHaveLength(2);
      expect(result.revoke, JSON.stringify(result.revoke)).toMatchObject({ ok: true, value: { status: "confirmed" } });
      expect(ba.listSessionsDirect('fox@revoke.test')).toHaveLength(1);
      await popup.evaluate(async (id) => (globalThis as any).browser.runtime.sendMessage({ type: 'accounts/unlink', body: { accountId: id } }), result.link.value.account.id);
    } finally {
      await ba?.close();
    }
  });

  it('gives two apps on one host, on different ports, each its own origin rule, removed on unlink', async () => {
    const apps: BetterAuthTestServer[] = [];
    try {
      for (const cookiePrefix of ['app-one', 'app-two']) apps.push(await startBetterAuth({ cookiePrefix }));
      const page = await browser.newPage();
      for (const app of apps) {
        await app.createUser('fox@revoke.test', 'fox-password-123');
        await app.signIn('fox@revoke.test', 'fox-password-123', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', '198.51.100.4');
        await page.goto(`${app.origin}/`);
        await page.locator('input[name=email]').fill('fox@revoke.test');
        await page.locator('input[name=password]').fill('fox-password-123');
        await page.locator('button').click();
        await page.waitForFunction(() => document.querySelector('#out')?.textContent?.includes('fox@revoke.test'));
        expect(app.listSessionsDirect('fox@revoke.test')).toHaveLength(2);
      }
      await page.close();

      const run = await popup.evaluate(async (urls) => {
        const api = (globalThis as any).browser;
        const send = (type: string, body: unknown) => api.runtime.sendMessage({ type, body });
        const links = [];
        for (const url of urls) links.push(await send('accounts/link', { connectorId: 'better-auth', url, settings: {} }));
        // Both at once, as sign out everywhere does: each request must carry its own app's origin.
        const everywhere = await send('sessions/sign-out-everywhere', { reason: { kind: 'shared-computer' } });
        const origins = async () => (await api.declarativeNetRequest.getSessionRules()).map((r: any) => [r.action.requestHeaders[0].value, r.condition.urlFilter]).sort();
        const rulesBefore = await origins();
        await send('accounts/unlink', { accountId: links[0].value.account.id });
        const rulesBetween = await origins();
        await send('accounts/unlink', { accountId: links[1].value.account.id });
        return { links, everywhere, rulesBefore, rulesBetween, rulesAfter: await origins() };
      }, apps.map((a) => a.baseURL));
      for (const link of run.links) expect(link.value.result, JSON.stringify(link)).toMatchObject({ state: 'ok' });
      expect(run.everywhere.value, JSON.stringify(run.everywhere)).toMatchObject({ confirmed: 2, failed: 0, notConfirmed: 0 });
      for (const app of apps) expect(app.listSessionsDirect('fox@revoke.test')).toHaveLength(0);
      const [one, two] = apps.map((a) => a.origin);
      expect(run.rulesBefore).toEqual([[one, `|${one}/`], [two, `|${two}/`]].sort());
      expect(run.rulesBetween).toEqual([[two, `|${two}/`]]);
      expect(run.rulesAfter).toEqual([]);
    } finally {
      for (const app of apps) await app.close();
    }
  });
});
