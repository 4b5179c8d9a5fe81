/**
 * `npm run screenshots`: pictures of the popup (Codes, Sessions), the options page's Accounts and
 * the welcome page, light and dark, into docs/screenshots/. Drives the e2e build (dist-e2e/, built
 * by the npm script) in Chromium against a real better-auth app signed in from a few devices.
 */
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_DEVICES, DEMO_USER, startBetterAuth } from '../test/servers/better-auth/server.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist-e2e');
const OUT = join(ROOT, 'docs/screenshots');
const POPUP = { width: 360, height: 560 }; // the popup's own width (body.popup), a typical height
const PAGE = { width: 1100, height: 760 };
const SCHEMES = ['light', 'dark'] as const;

const CODES = [
  'otpauth://totp/GitHub:ada@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub',
  'otpauth://totp/Proton:ada@proton.me?secret=KRSXG5CTMVRXEZLU&issuer=Proton',
  'otpauth://totp/Mastodon:@ada@example.social?secret=MFRGGZDFMZTWQ2LK&issuer=Mastodon',
  'otpauth://totp/Fastmail:ada@fastmail.com?secret=GEZDGNBVGY3TQOJQ&issuer=Fastmail',
  'otpauth://totp/Cloudflare:ada@example.com?secret=ONSWG4TFORSWE3TB&issuer=Cloudflare',
];

async function send(page: Page, type: string, body: unknown): Promise<unknown> {
  const reply = await page.evaluate(([type, body]) => chrome.runtime.sendMessage({ type, body }), [type, body] as const);
  const r = reply as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!r.ok) throw new Error(`${type}: ${r.error?.message}`);
  return r.value;
}

async function shoot(ctx: BrowserContext, url: string, name: string, size: { width: number; height: number },
  ready: (p: Page) => Promise<unknown>, before?: (p: Page) => Promise<unknown>) {
  for (const colorScheme of SCHEMES) {
    const page = await ctx.newPage();
    await page.setViewportSize(size);
    await page.emulateMedia({ colorScheme });
    if (before) await before(page);
    await page.goto(url);
    await ready(page);
    await page.mouse.move(0, size.height - 1); // no hover effects in the picture
    await page.screenshot({ path: join(OUT, `${name}-${colorScheme}.png`) });
    console.log(`docs/screenshots/${name}-${colorScheme}.png`);
    await page.close();
  }
}

if (!existsSync(join(DIST, 'manifest.json'))) throw new Error(`No test build in ${DIST}: run npm run build:e2e`);
mkdirSync(OUT, { recursive: true });
const app = await startBetterAuth();
await app.createUser(DEMO_USER.email, DEMO_USER.password, 'Demo');
for (const d of DEMO_DEVICES) await app.signIn(DEMO_USER.email, DEMO_USER.password, d.userAgent, d.ip);
const profile = mkdtempSync(join(tmpdir(), 'revoke-shots-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', `--disable-extensions-except=${DIST}`, `--load-extension=${DIST}`],
});
try {
  const sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker'));
  const ext = `chrome-extension://${new URL(sw.url()).host}`;

  // The welcome page as a new install shows it, before anything is linked.
  await shoot(ctx, `${ext}/welcome.html`, 'welcome', { width: 900, height: 800 },
    (p) => p.getByRole('combobox', { name: 'Service' }).locator('option').first().waitFor({ state: 'attached' }));

  // This browser signs in too, so one session is "this browser"; then link the app and fill a vault.
  const page = await ctx.newPage();
  await page.goto(`${app.origin}/`);
  await page.locator('input[name=email]').fill(DEMO_USER.email);
  await page.locator('input[name=password]').fill(DEMO_USER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#out').filter({ hasText: DEMO_USER.email }).waitFor();
  await page.goto(`${ext}/options.html`);
  await send(page, 'accounts/link', { connectorId: 'better-auth', url: `${app.origin}/`, settings: {} });
  await send(page, 'vault/setup', { password: 'screenshots password 123' });
  for (const uri of CODES) await send(page, 'entries/add-uri', { uri });
  await page.close();

  const tab = (t: string) => (p: Page) => p.addInitScript((t) => localStorage.setItem('revoke:popup-tab', t), t);
  await shoot(ctx, `${ext}/popup.html`, 'popup-sessions', POPUP,
    (p) => p.getByText('Up to date').waitFor(), tab('sessions'));
  await shoot(ctx, `${ext}/popup.html`, 'popup-codes', POPUP,
    (p) => p.locator('.otp').first().waitFor(), tab('codes'));
  await shoot(ctx, `${ext}/options.html#accounts`, 'options-accounts', PAGE,
    (p) => p.locator('li[data-account-id]').first().waitFor());
} finally {
  await ctx.close();
  await app.close();
  rmSync(profile, { recursive: true, force: true });
}
