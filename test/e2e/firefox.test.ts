/**
 * Firefox end to end: Debian's Firefox ESR loads the Firefox test build and a person's core path works
 * through the real pages: create the vault, add a code by link (checked against a reference TOTP),
 * copy it with a click and see the clipboard wiped after the time set in the settings (and a text
 * copied since left alone), link a better-auth app in the settings, end one session from the popup and
 * sign out everywhere, each checked on the server. Driven over WebDriver BiDi by puppeteer-core; the
 * test build opens its own popup page in a tab, because Firefox refuses a driver's navigation to
 * moz-extension:// pages, and the popup's buttons open the options page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { resolve } from 'node:path';
import { awayFromBoundary, referenceTotp } from './totp-reference';
import { clipboardText, copyOwnText, findPage, signInOnSite, until, waitForText } from './firefox-helpers';
import { startBetterAuth, type BetterAuthTestServer } from '../servers/better-auth/server.mjs';

const DIST = resolve(import.meta.dirname, '../../dist-e2e-firefox');
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const SECRET = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
const USER = { email: 'fox@revoke.test', password: 'fox-password-123' };
const WINDOWS_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('Firefox', () => {
  let browser: Browser;
  let popup: Page;
  let options: Page | undefined;

  /** The options page, opened once from the popup's Settings button as a person would. */
  async function openOptions(section: string): Promise<Page> {
    if (!options) {
      await popup.bringToFront();
      await popup.locator('::-p-aria([role="button"][name="Settings"])').click();
      options = await findPage(browser, '/options.html');
    }
    await options.bringToFront();
    await options.locator(`nav a[href="#${section}"]`).click();
    return options;
  }

  /**
   * Opens the popup afresh, as each click on the toolbar button does (its script reads the settings
   * again), in a new tab as the test build opens it. A reload in place would leave puppeteer's
   * handles to the old document behind: Firefox's driver does not report a page's own reload.
   */
  async function reopenPopup() {
    const old = popup;
    await old.evaluate(() => (globalThis as any).browser.tabs.create({ url: (globalThis as any).browser.runtime.getURL('popup.html') }));
    popup = await findPage(browser, '/popup.html', [old]);
    await old.close();
    await popup.bringToFront();
  }

  beforeAll(async () => {
    browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
    await browser.installExtension(DIST);
    popup = await findPage(browser, '/popup.html');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('sets up the vault, adds a code by link and shows the right code', async () => {
    // A new install opens on Sessions (no authenticator yet); the person picks Codes.
    await popup.locator('::-p-aria(Codes[role="tab"])').click();
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

  it('copies a code with a click and wipes it after the time set in Security, leaving a text copied since alone', async () => {
    const settings = await openOptions('security');
    await settings.locator('input[name=clipboardClearSeconds]').fill('5');
    await settings.keyboard.press('Tab'); // the value is saved when the field is left
    await waitForText(settings, '[role=status]', /^Saved\.$/);
    await reopenPopup();

    await awayFromBoundary(30, 5);
    await popup.locator('.otp').click();
    const expected = referenceTotp(SECRET, Date.now());
    expect(await waitForText(popup, '.toast[role=status]', /Copied/)).toBe('Copied Fox code. The clipboard clears in 5 s.');
    await until(() => clipboardText(popup), expected, 5_000);
    await until(() => clipboardText(popup), '', 15_000);

    // Copied again, then the person copies something of their own before the 5 s are over.
    await awayFromBoundary(30, 5);
    await popup.locator('.otp').click();
    await until(() => clipboardText(popup), referenceTotp(SECRET, Date.now()), 5_000);
    // The wipe is scheduled once the background has the code: its one-shot alarm exists, then fires and is gone.
    const wipePending = () => popup.evaluate(async () => Boolean(await (globalThis as any).browser.alarms.get('revoke/clipboard-clear')));
    await until(wipePending, true, 5_000);
    await copyOwnText(popup, 'my own text');
    await until(wipePending, false, 15_000);
    // Give the alarm's handler a moment to act (wrongly).
    await new Promise((r) => setTimeout(r, 1000));
    expect(await clipboardText(popup)).toBe('my own text');
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

  it('links a better-auth app in the settings, ends one session from the popup and signs out everywhere', async () => {
    const app = await startBetterAuth();
    try {
      await app.createUser(USER.email, USER.password);
      await app.signIn(USER.email, USER.password, WINDOWS_CHROME, '203.0.113.9');
      await signInOnSite(browser, app, USER.email, USER.password);
      expect(app.listSessionsDirect(USER.email)).toHaveLength(2);

      // Linking: the test build's manifest grants loopback hosts, so the permission request needs no answer.
      const accounts = await openOptions('accounts');
      await accounts.locator('select[name=connector]').fill('better-auth'); // waits for the services to load
      await accounts.locator('input[name=url]').fill(`${app.origin}/`);
      await accounts.locator('::-p-aria([role="button"][name="Link account"])').click();
      await waitForText(accounts, 'form [role=status]', /^Signed in as fox@revoke\.test · 2 sessions\.$/);

      await reopenPopup();
      await popup.locator('::-p-aria([role="tab"][name="Sessions"])').click();
      const other = 'li.session:not(:has(.badge-this))';
      await popup.locator(`${other} button[aria-label^="End session: Chrome"]`).click();
      await popup.locator(`${other} .confirm select`).fill('lost-device');
      await popup.locator(`${other} ::-p-aria([role="button"][name="End session"])`).click();
      await waitForText(popup, '.account-group [data-outcome]', /^✓ Ended the session on Chrome [\d.]* ?on Windows at 127\.0\.0\.1:\d+\. Revoke listed the sessions again and it is gone\.$/);
      expect(app.listSessionsDirect(USER.email).map((s) => s.userAgent)).not.toContain(WINDOWS_CHROME);
      expect(app.listSessionsDirect(USER.email)).toHaveLength(1);

      await popup.locator('::-p-aria([role="button"][name="Sign out everywhere"])').click(); // the only one until the confirm step
      await popup.locator('[role=group][aria-label="Confirm sign out everywhere"] ::-p-aria([role="button"][name="Sign out everywhere"])').click();
      const summary = await waitForText(popup, '[role=status][aria-label="Sign out everywhere result"]', /confirmed/, 30_000);
      expect(summary).toMatch(/^1 confirmed(?! ·)/); // no "· 0 not confirmed · 0 failed"
      expect(summary).toMatch(/✓ Ended the sessions on every device\. /);
      expect(app.listSessionsDirect(USER.email)).toHaveLength(0);

      // The reason picked for the ended session is in the audit log, with that session.
      const audit = await openOptions('audit');
      const log = await waitForText(audit, 'ol[aria-label="Audit records"]', /Lost or stolen device/);
      expect(log).toContain('203.0.113.9');
    } finally {
      // The tests below count their own linked accounts.
      await popup.evaluate(async () => {
        const send = (type: string, body: unknown) => (globalThis as any).browser.runtime.sendMessage({ type, body });
        const overview = await send('sessions/overview', null);
        for (const v of overview.value ?? []) await send('accounts/unlink', { accountId: v.account.id });
      });
      await app.close();
    }
  });

  it('lists and ends better-auth sessions (the site’s own Origin passes its origin check)', async () => {
    let ba: BetterAuthTestServer | undefined;
    try {
      ba = await startBetterAuth();
      await ba.createUser('fox@revoke.test', 'fox-password-123');
      await ba.signIn('fox@revoke.test', 'fox-password-123', 'Mozilla/5.0 (Windows NT 10.0) Chrome/131.0', '203.0.113.9');
      await signInOnSite(browser, ba, USER.email, USER.password);
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
      for (const app of apps) {
        await app.createUser('fox@revoke.test', 'fox-password-123');
        await app.signIn('fox@revoke.test', 'fox-password-123', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', '198.51.100.4');
        await signInOnSite(browser, app, USER.email, USER.password);
        expect(app.listSessionsDirect('fox@revoke.test')).toHaveLength(2);
      }

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
