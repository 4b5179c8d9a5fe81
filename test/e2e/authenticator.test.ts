import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dumpIndexedDb, launch, removeProfile, type Launched } from './harness';
import { startSite } from './sites';
import { awayFromBoundary, base32Decode, referenceTotp } from './totp-reference';

const PASSWORD = 'correct horse battery staple';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const ISSUER = 'Quokka Bank';
const ACCOUNT = 'wombat.person@example.test';
const URI = `otpauth://totp/${encodeURIComponent(ISSUER)}:${encodeURIComponent(ACCOUNT)}?secret=${SECRET.toLowerCase()}&issuer=${encodeURIComponent(ISSUER)}`;

async function shownCode(popup: Page, name: RegExp | string): Promise<string> {
  const row = popup.getByRole('button', { name });
  return (await row.locator('.otp').getAttribute('data-code'))!;
}

describe('authenticator in the popup, as a person uses it', () => {
  let b: Launched;
  let popup: Page;
  beforeAll(async () => {
    b = await launch();
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
  });

  it('asks for a new password on first run and refuses mismatched confirmation', async () => {
    popup = await b.page('popup.html');
    // A fresh profile opens on Sessions: the authenticator is set up from the Codes tab.
    await popup.getByRole('tab', { name: 'Codes' }).click();
    await expect.poll(() => popup.getByRole('heading', { name: 'Protect your codes' }).isVisible()).toBe(true);
    await popup.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await popup.getByLabel('Confirm password').fill(PASSWORD + 'x');
    await popup.getByRole('button', { name: 'Create vault' }).click();
    await expect.poll(() => popup.getByRole('alert').textContent()).toContain('differ');
    await popup.getByLabel('Confirm password').fill(PASSWORD);
    await popup.getByRole('button', { name: 'Create vault' }).click();
    await popup.getByText('No codes yet.').waitFor();
  });

  it('adds an entry from a pasted otpauth link and shows the right code', async () => {
    await popup.getByRole('button', { name: 'Add a code' }).first().click();
    await popup.getByLabel('otpauth:// link').fill('otpauth://totp/Broken?secret=not*base32');
    await popup.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => popup.getByRole('alert').textContent()).toMatch(/base32/i);
    await popup.getByLabel('otpauth:// link').fill(URI);
    await popup.getByRole('button', { name: 'Add', exact: true }).click();
    await popup.getByRole('button', { name: new RegExp(ISSUER) }).waitFor();
    await awayFromBoundary(30, 5);
    const code = await shownCode(popup, new RegExp(ISSUER));
    expect(code).toBe(referenceTotp(SECRET, Date.now()));
    // The button is named by all it shows, digits included (grouped as on screen), then what it does:
    // a screen reader hears the code without pressing the button.
    expect(code).toMatch(/^\d{6}$/);
    // (Chromium puts a space before the visually hidden ": copy code".)
    const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const name = new RegExp(`^${esc(ISSUER)} ${esc(ACCOUNT)} ${code.slice(0, 3)} ${code.slice(3)}\\s?: copy code$`);
    expect(await popup.getByRole('button', { name }).count()).toBe(1);
  });

  it('copies a code with a click and with the keyboard, then clears the clipboard', async () => {
    await b.sw.evaluate(() =>
      chrome.storage.local.set({ settings: { autoLockMinutes: 15, lockOnSystemLock: true, clipboardClearSeconds: 5 } }));
    await awayFromBoundary(30, 10);
    await popup.getByRole('button', { name: new RegExp(ISSUER) }).click();
    const expected = referenceTotp(SECRET, Date.now());
    await expect.poll(() => popup.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    await popup.getByRole('status').filter({ hasText: 'Copied' }).waitFor();

    // Keyboard: "/" focuses search, typing filters, Enter copies the first match.
    await popup.evaluate(() => navigator.clipboard.writeText('something else'));
    await popup.locator('body').press('/');
    await popup.keyboard.type('quokka');
    await popup.keyboard.press('Enter');
    await expect.poll(() => popup.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    // Cleared after the configured delay by the background (offscreen document).
    await expect.poll(() => popup.evaluate(() => navigator.clipboard.readText()), { timeout: 15_000, interval: 500 }).toBe('');
  });

  it('leaves the clipboard alone when the person copied something else since', async () => {
    await popup.getByRole('button', { name: new RegExp(ISSUER) }).click();
    await popup.evaluate(() => navigator.clipboard.writeText('my own text'));
    await new Promise((r) => setTimeout(r, 8000));
    expect(await popup.evaluate(() => navigator.clipboard.readText())).toBe('my own text');
  });

  it('locks, rejects a wrong password without changing anything, and unlocks', async () => {
    const before = JSON.stringify(await dumpIndexedDb(popup));
    await popup.getByRole('button', { name: 'Lock' }).click();
    await popup.getByRole('heading', { name: 'Revoke is locked' }).waitFor();
    await popup.getByLabel('Password').fill('not the password');
    await popup.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => popup.getByRole('alert').textContent()).toMatch(/wrong password/i);
    expect(await popup.locator('.otp').count()).toBe(0);
    expect(JSON.stringify(await dumpIndexedDb(popup))).toBe(before);
    // A reopened popup is still locked.
    await popup.reload();
    await popup.getByRole('heading', { name: 'Revoke is locked' }).waitFor();
    await popup.getByLabel('Password').fill(PASSWORD);
    await popup.getByRole('button', { name: 'Unlock' }).click();
    await popup.getByRole('button', { name: new RegExp(ISSUER) }).waitFor();
  });

  it('keeps entries encrypted across a browser restart: locked on start, intact after unlock', async () => {
    const profile = b.profile;
    await b.close();
    b = await launch(profile);
    popup = await b.page('popup.html');
    // storage.session is gone with the browser: the vault must be locked again.
    await popup.getByRole('heading', { name: 'Revoke is locked' }).waitFor();

    const raw = JSON.stringify(await dumpIndexedDb(popup));
    expect(raw.length).toBeGreaterThan(100);
    const needles = [SECRET, SECRET.toLowerCase(), ISSUER, ACCOUNT, 'wombat', 'Quokka'];
    for (const n of needles) expect(raw).not.toContain(n);
    // Also no run of the secret's raw bytes (as a JSON array of byte values).
    const secretBytes = Array.from(base32Decode(SECRET)).slice(0, 8).join(',');
    expect(raw).not.toContain(secretBytes);

    await popup.getByLabel('Password').fill(PASSWORD);
    await popup.getByRole('button', { name: 'Unlock' }).click();
    await awayFromBoundary();
    expect(await shownCode(popup, new RegExp(ISSUER))).toBe(referenceTotp(SECRET, Date.now()));
  });

  it('warns when a linked site shows this computer’s clock is off', async () => {
    const site = await startSite('127.0.0.1', { siteHost: 'clock.localhost', clockOffsetMs: 10 * 60_000 });
    try {
      const page = await b.page('options.html#accounts');
      await page.goto(`${site.origin}/login?user=me`);
      await page.goto(`chrome-extension://${b.extensionId}/options.html#accounts`);
      const reply = await page.evaluate(async (origin) => {
        const link = await chrome.runtime.sendMessage({ type: 'accounts/link', body: { connectorId: 'generic', url: origin, settings: { logoutUrl: `${origin}/logout` } } });
        // Signing out of the site calls its logout address: the response's Date is the comparison.
        return chrome.runtime.sendMessage({ type: 'sessions/revoke', body: { accountId: link.value.account.id, target: 'all', reason: { kind: 'other', text: 'clock test' } } });
      }, site.origin);
      expect(reply.value.status).toBe('confirmed');
      await popup.reload();
      await expect.poll(() => popup.getByRole('alert').filter({ hasText: 'clock' }).textContent())
        .toMatch(/about 10 minutes behind \(compared with clock\.localhost:\d+\)/);
    } finally {
      await site.close();
    }
  });
});
