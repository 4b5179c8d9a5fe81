/**
 * Revoke in German: Chromium started in German shows the popup, the options page and the
 * shortcuts in German (the browser's i18n, _locales/de), dates and "vor 3 Min." from Intl, no
 * message key leaks into a page, and nothing is wider than the 360 px popup. Screenshots of the
 * popup in light and dark go to REVOKE_SHOTS (a folder) when it is set, to be looked at. Firefox
 * asked for German (intl.locale.requested, with Debian's firefox-esr-l10n-de) shows the popup in German.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser as FirefoxBrowser } from 'puppeteer-core';
import en from '../../_locales/en/messages.json';
import { DEMO_DEVICES, DEMO_USER, startBetterAuth, type BetterAuthTestServer } from '../servers/better-auth/server.mjs';
import { findPage, waitForText } from './firefox-helpers';
import { signInToApp } from './flows';
import { launch, removeProfile, type Launched } from './harness';

const POPUP = { width: 360, height: 600 };
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const FIREFOX_DIST = resolve(import.meta.dirname, '../../dist-e2e-firefox');
const SHOTS = process.env.REVOKE_SHOTS;
const KEYS = Object.keys(en).filter((k) => k.includes('_'));

async function send(page: Page, type: string, body: unknown): Promise<unknown> {
  const reply = (await page.evaluate(([type, body]) => chrome.runtime.sendMessage({ type, body }), [type, body] as const)) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!reply.ok) throw new Error(`${type}: ${reply.error?.message}`);
  return reply.value;
}

/** What the page shows and says (text, labels, titles, placeholders), to search for leaked keys. */
const pageWords = (page: Page) => page.evaluate(() => {
  const attrs = [...document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')]
    .flatMap((el) => ['aria-label', 'title', 'placeholder', 'alt'].map((a) => el.getAttribute(a) ?? ''));
  return [document.title, document.body.innerText, ...attrs].join('\n');
});

/** Elements that stick out of the viewport on the right: text too long for the popup. */
const overflowing = (page: Page) => page.evaluate(() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 0.5; })
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? '').slice(0, 60)}`);
});

describe('in German', () => {
  let app: BetterAuthTestServer;
  let b: Launched;

  beforeAll(async () => {
    app = await startBetterAuth();
    await app.createUser(DEMO_USER.email, DEMO_USER.password, 'Demo');
    for (const d of DEMO_DEVICES) await app.signIn(DEMO_USER.email, DEMO_USER.password, d.userAgent, d.ip);
    b = await launch(undefined, { lang: 'de' });
    await signInToApp(b.ctx, app.origin, DEMO_USER);
    const page = await b.page('options.html');
    await send(page, 'accounts/link', { connectorId: 'better-auth', url: `${app.origin}/`, settings: {} });
    await send(page, 'vault/setup', { password: 'ein langes Passwort 123' });
    await send(page, 'entries/add-uri', { uri: 'otpauth://totp/GitHub:ada@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub' });
    await page.close();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await app?.close();
  });

  it('names the extension and its shortcuts in German', async () => {
    // Chrome words _execute_action's description itself; the other one is ours.
    const commands = await b.sw.evaluate(() => chrome.commands.getAll());
    expect(commands.find((c) => c.name === 'sign-out-everywhere')?.description).toBe('Überall abmelden');
    const self = await b.sw.evaluate(() => chrome.management.getSelf());
    expect(self.description).toMatch(/^Sehen Sie, wo Ihre Konten angemeldet sind/);
  });

  for (const tab of ['sessions', 'codes'] as const) {
    it(`shows the popup's ${tab} in German, within 360 px, light and dark`, async () => {
      for (const scheme of ['light', 'dark'] as const) {
        const page = await b.ctx.newPage();
        await page.setViewportSize(POPUP);
        await page.emulateMedia({ colorScheme: scheme });
        await page.addInitScript((t) => localStorage.setItem('revoke:popup-tab', t), tab);
        await page.goto(`chrome-extension://${b.extensionId}/popup.html`);
        if (tab === 'sessions') await page.getByText('Aktuell').waitFor();
        else await page.locator('.otp').first().waitFor();
        expect(await page.evaluate(() => document.documentElement.lang)).toMatch(/^de\b/);
        const words = await pageWords(page);
        expect(words).toContain('Sitzungen');
        if (tab === 'sessions') {
          expect(words).toContain('Überall abmelden');
          expect(words).toMatch(/(vor \d+ (Sek|Min)\.|gerade eben|jetzt) aktiv/);
        } else {
          expect(words).toContain('Code hinzufügen');
        }
        expect(KEYS.filter((k) => words.includes(k))).toEqual([]);
        expect(await overflowing(page)).toEqual([]);
        if (SHOTS) await page.screenshot({ path: join(SHOTS, `de-popup-${tab}-${scheme}.png`) });
        await page.close();
      }
    });
  }

  it('ends a session in German: the reason asked, the result and what Revoke saw said in German', async () => {
    const page = await b.ctx.newPage();
    await page.setViewportSize(POPUP);
    await page.addInitScript(() => localStorage.setItem('revoke:popup-tab', 'sessions'));
    await page.goto(`chrome-extension://${b.extensionId}/popup.html`);
    await page.getByText('Aktuell').waitFor();
    await page.getByRole('button', { name: /^Sitzung beenden: Safari 18 unter iOS/ }).click();
    await page.getByLabel('Grund').waitFor();
    expect(await overflowing(page)).toEqual([]);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'de-popup-confirm.png') });
    await page.getByRole('button', { name: 'Sitzung beenden', exact: true }).click();
    const result = page.locator('[data-outcome="confirmed"]');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/Beendet: die Sitzung auf Safari 18 unter iOS bei .*Revoke hat die Sitzungen erneut abgerufen: Sie ist nicht mehr dabei\./);
    expect(await overflowing(page)).toEqual([]);
    await page.close();
  });

  it('shows the options page in German, connectors and account names included', async () => {
    const page = await b.page('options.html#audit');
    // An account linked without a name: Revoke's own label for it ("Any site (host)") is said in German.
    await send(page, 'accounts/link', { connectorId: 'generic', url: `${app.origin}/`, settings: {} });
    await page.getByRole('heading', { name: 'Protokoll' }).waitFor();
    expect(await page.title()).toBe('Revoke – Einstellungen');
    await page.goto(`chrome-extension://${b.extensionId}/options.html#accounts`);
    await page.getByRole('heading', { name: 'Verknüpfte Konten' }).waitFor();
    await page.locator('li[data-account-id]').filter({ hasText: DEMO_USER.email }).waitFor();
    await page.locator('li[data-account-id]').filter({ hasText: 'Beliebige Website' }).waitFor();
    const words = await pageWords(page);
    // The shipped messages write substitutions into the message itself ($1, not $codes$): Chromium fills them.
    expect(await page.evaluate(() => chrome.i18n.getMessage('preview_found', ['3 Codes', 'a.json', 'Aegis']))).toBe('3 Codes in a.json (Aegis) gefunden.');
    for (const text of ['Konten', 'Sicherheit', 'Konto verknüpfen', 'Erneut prüfen', 'Datenschutzerklärung', 'Apps mit better-auth', 'Adresse der App', `${DEMO_USER.email} auf ${new URL(app.origin).host}`, `Beliebige Website (${new URL(app.origin).host})`]) expect(words).toContain(text);
    expect(words).not.toContain('Any site (');
    expect(KEYS.filter((k) => words.includes(k))).toEqual([]);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'de-options-accounts.png') });
    // The privacy policy in German: its own page, inside the extension.
    expect(await page.getByRole('link', { name: 'Datenschutzerklärung' }).getAttribute('href')).toBe('/privacy.de.html');
    await page.goto(`chrome-extension://${b.extensionId}/privacy.de.html`);
    await page.getByRole('heading', { name: 'Datenschutzerklärung von Revoke' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    await page.close();
  });
});

describe('in German, in Firefox', () => {
  let browser: FirefoxBrowser;
  afterAll(async () => { await browser?.close(); });

  it('shows the popup in German when Firefox asks for German (its language pack installed)', async () => {
    browser = await puppeteer.launch({
      browser: 'firefox', executablePath: FIREFOX, headless: true,
      extraPrefsFirefox: { 'intl.locale.requested': 'de' },
    });
    await browser.installExtension(FIREFOX_DIST);
    // The Firefox test build opens its popup page in a tab (moz-extension:// cannot be navigated to).
    const popup = await findPage(browser, '/popup.html');
    const text = await waitForText(popup, 'body', /Sitzungen/);
    expect(text).toContain('Codes');
    expect(await popup.evaluate(() => document.documentElement.lang)).toMatch(/^de\b/);
    expect(KEYS.filter((k) => text.includes(k))).toEqual([]);
    // The shipped messages write substitutions into the message itself ($1, not $codes$): Firefox fills them.
    expect(await popup.evaluate(() => (globalThis as unknown as { browser: typeof chrome }).browser.i18n.getMessage('preview_found', ['3 Codes', 'a.json', 'Aegis'])))
      .toBe('3 Codes in a.json (Aegis) gefunden.');
  });
});
