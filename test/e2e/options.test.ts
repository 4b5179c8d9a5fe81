import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, removeProfile, type Launched } from './harness';
import { createVault } from './flows';
import { base32Decode } from './totp-reference';
import { createHmac } from 'node:crypto';

const PASSWORD = 'options page password';
const NEW_PASSWORD = 'a brand new passphrase';

function referenceHotp(secret: string, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const o = h[h.length - 1]! & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 10 ** digits).padStart(digits, '0');
}

const titles = (page: Page) => page.locator('ol.entries > li strong').allTextContents();

describe('options page: managing entries and security', () => {
  let b: Launched;
  let page: Page;
  beforeAll(async () => {
    b = await launch();
    page = await b.page('options.html#authenticator');
    await createVault(page, PASSWORD);
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
  });

  it('adds by the manual form, tolerating spaces and lower case in the secret', async () => {
    await page.getByRole('button', { name: 'Add a code' }).click();
    await page.getByRole('tab', { name: 'Enter manually' }).click();
    await page.getByLabel('Issuer').fill('Alpha');
    await page.getByLabel('Account').fill('a@example.test');
    await page.getByLabel('Secret key').fill('jbsw y3dp ehpk 3pxp');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Added Alpha' }).waitFor();
    expect(await titles(page)).toEqual(['Alpha']);
  });

  it('rejects an invalid secret with a clear message and stores nothing', async () => {
    await page.getByRole('button', { name: 'Add a code' }).click();
    await page.getByRole('tab', { name: 'Enter manually' }).click();
    await page.getByLabel('Issuer').fill('Broken');
    await page.getByLabel('Secret key').fill('0189!!');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/secret/i);
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await titles(page)).toEqual(['Alpha']);
  });

  it('adds more by link, then pins, reorders, edits, deletes and undoes', async () => {
    for (const name of ['Bravo', 'Charlie']) {
      await page.getByRole('button', { name: 'Add a code' }).click();
      await page.getByLabel('otpauth:// link').fill(`otpauth://totp/${name}:me?secret=JBSWY3DPEHPK3PXP&issuer=${name}`);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByRole('status').filter({ hasText: `Added ${name}` }).waitFor();
    }
    // The status can show before the list re-renders: wait for the list.
    await expect.poll(() => titles(page)).toEqual(['Alpha', 'Bravo', 'Charlie']);

    await page.getByRole('button', { name: 'Pin Charlie' }).click();
    await expect.poll(() => titles(page)).toEqual(['Charlie', 'Alpha', 'Bravo']);

    await page.getByRole('button', { name: 'Move Alpha down' }).click();
    await expect.poll(() => titles(page)).toEqual(['Charlie', 'Bravo', 'Alpha']);

    await page.getByRole('button', { name: 'Edit Bravo' }).click();
    await page.getByLabel('Issuer').fill('Bravo Renamed');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => titles(page)).toEqual(['Charlie', 'Bravo Renamed', 'Alpha']);

    await page.getByRole('button', { name: 'Delete Bravo Renamed' }).click();
    await expect.poll(() => titles(page)).toEqual(['Charlie', 'Alpha']);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => titles(page)).toEqual(['Charlie', 'Bravo Renamed', 'Alpha']);

    // The popup shows the same order, pinned first.
    const popup = await b.page('popup.html');
    await expect.poll(() => popup.locator('.issuer').allTextContents()).toEqual(['★ Charlie', 'Bravo Renamed', 'Alpha']);
    await popup.close();
  });

  it('advances an HOTP counter from the popup and shows the matching code', async () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // RFC 4226 test secret
    await page.getByRole('button', { name: 'Add a code' }).click();
    await page.getByLabel('otpauth:// link').fill(`otpauth://hotp/Counter:me?secret=${secret}&issuer=Counter&counter=3`);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Added Counter' }).waitFor();
    const popup = await b.page('popup.html');
    const code = () => popup.getByRole('button', { name: /^Counter/ }).locator('.otp').getAttribute('data-code');
    await expect.poll(code).toBe(referenceHotp(secret, 3));
    expect(referenceHotp(secret, 3)).toBe('969429'); // the RFC's own value
    await popup.getByRole('button', { name: 'Next code for Counter' }).click();
    await expect.poll(code).toBe(referenceHotp(secret, 4));
    await popup.reload();
    await expect.poll(code).toBe('338314'); // counter 4, kept across reopening
    await popup.close();
  });

  it('changes the password under a new data key: wrong current password refused, new one works, old one no longer does', async () => {
    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByLabel('Current password').fill('nope nope nope');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/wrong password/i);
    await page.getByLabel('Current password').fill(PASSWORD);
    // With a new data key: every code is re-encrypted, and the page says how many.
    await page.getByLabel(/Also re-encrypt every code under a new key/).check();
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: /Password changed\. \d+ codes? (was|were) re-encrypted under a new key\./ }).waitFor();

    await page.getByRole('button', { name: 'Lock now' }).click();
    await page.getByRole('heading', { name: 'Revoke is locked' }).waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/wrong password/i);
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Security' }).waitFor();
  });

  it('schedules auto-lock from the setting and locks when that alarm fires', async () => {
    await page.getByLabel('Lock after this many minutes without use').fill('7');
    await page.getByLabel('Lock after this many minutes without use').blur();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const alarm = await b.sw.evaluate(() => chrome.alarms.get('revoke/autolock'));
    expect(alarm).toBeTruthy();
    const minutesAhead = (alarm!.scheduledTime - Date.now()) / 60_000;
    expect(minutesAhead).toBeGreaterThan(6.5);
    expect(minutesAhead).toBeLessThanOrEqual(7);

    // Bring the deadline forward instead of waiting 7 minutes: the real handler runs.
    // Nothing may talk to the background meanwhile: every use pushes the deadline out again.
    await b.sw.evaluate(() => chrome.alarms.create('revoke/autolock', { when: Date.now() + 500 }));
    await expect.poll(() => b.sw.evaluate(() => chrome.alarms.get('revoke/autolock')), { timeout: 10_000 }).toBeUndefined();
    const popup = await b.page('popup.html');
    await popup.getByRole('heading', { name: 'Revoke is locked' }).waitFor();
    await popup.close();
  });

  it('registers the shortcuts with the keys the README names (Linux), panic with none until the person sets one', async () => {
    const commands = await b.sw.evaluate(() => chrome.commands.getAll());
    const shortcuts = Object.fromEntries(commands.map((c) => [c.name, c.shortcut]));
    expect(shortcuts).toEqual({ _execute_action: 'Alt+Shift+O', 'sign-out-everywhere': 'Alt+Shift+Q', panic: '' });
    expect(commands.find((c) => c.name === 'sign-out-everywhere')?.description).toBe('Sign out everywhere');
    expect(commands.find((c) => c.name === 'panic')?.description).toMatch(/panic/i);
  });

  it('links the privacy policy, which is part of the extension and opens offline', async () => {
    const [policy] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('link', { name: 'Privacy policy' }).click(),
    ]);
    await policy.getByRole('heading', { name: 'Revoke privacy policy' }).waitFor();
    expect(new URL(policy.url()).protocol).toBe('chrome-extension:');
    await expect(policy.getByRole('heading', { name: 'What Revoke sends, and to whom' }).isVisible()).resolves.toBe(true);
    await policy.close();
  });
});
