/**
 * Locking reaches every open page: an options page with an entry's edit form open (its secret
 * revealed) and the popup both drop the decrypted data and show the lock screen when the real
 * auto-lock alarm fires, and the secret is gone from the DOM and from the page's JavaScript heap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, removeProfile, type Launched } from './harness';

const PASSWORD = 'lock reaches every page';
// Distinctive, so that finding it anywhere means it came from this entry.
const SECRET = 'MZXW6YTBOJUGKZLQNFZXIZLSMFXGIZLS';
const ISSUER = 'Lockbank';

/** Every string in the page's JavaScript heap (after a forced collection) that contains `needle`. */
async function heapStringsWith(page: Page, needle: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => void chunks.push(e.chunk));
  await cdp.send('HeapProfiler.enable');
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  const { strings } = JSON.parse(chunks.join('')) as { strings: string[] };
  return strings.filter((s) => s.includes(needle));
}

/** The page's markup and every form field's current value (values are not in the markup). */
async function domText(page: Page): Promise<string> {
  const values = await page.evaluate(() =>
    Array.from(document.querySelectorAll('input, textarea, select'), (el) => (el as HTMLInputElement).value));
  return `${await page.content()}\n${values.join('\n')}`;
}

describe('locking reaches every open page', () => {
  let b: Launched;
  beforeAll(async () => {
    b = await launch();
    // The entry is added from a page that is then closed: the pages under test get the secret
    // only from the vault, never from the test typing it.
    const setup = await b.page('options.html#authenticator');
    await setup.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await setup.getByLabel('Confirm password').fill(PASSWORD);
    await setup.getByRole('button', { name: 'Create vault' }).click();
    await setup.getByRole('button', { name: 'Add a code' }).click();
    await setup.getByLabel('otpauth:// link').fill(`otpauth://totp/${ISSUER}:me?secret=${SECRET}&issuer=${ISSUER}`);
    await setup.getByRole('button', { name: 'Add', exact: true }).click();
    await setup.getByRole('status').filter({ hasText: `Added ${ISSUER}` }).waitFor();
    await setup.close();
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
  });

  it('the auto-lock alarm clears the options page (edit form, revealed secret) and the popup', async () => {
    const options = await b.page('options.html#authenticator');
    const popup = await b.page('popup.html');
    await popup.getByRole('button', { name: new RegExp(`^${ISSUER}`) }).waitFor();

    await options.getByRole('button', { name: `Edit ${ISSUER}` }).click();
    const secretField = options.getByLabel('Secret key');
    // Masked and empty until Show: the page's DOM does not hold the secret yet.
    expect(await secretField.getAttribute('type')).toBe('password');
    expect(await secretField.inputValue()).toBe('');
    expect(await domText(options)).not.toContain(SECRET);
    await options.getByRole('button', { name: 'Show' }).click();
    expect(await secretField.getAttribute('type')).toBe('text');
    expect(await secretField.inputValue()).toBe(SECRET);
    // The checks below can fail: while unlocked, the secret is in the DOM and in the heap.
    expect(await domText(options)).toContain(SECRET);
    expect((await heapStringsWith(options, SECRET)).length).toBeGreaterThan(0);

    // The real alarm path: the alarm fires in the worker and its handler locks.
    // Nothing may talk to the background meanwhile: every use pushes the deadline out again.
    await b.sw.evaluate(() => chrome.alarms.create('revoke/autolock', { when: Date.now() + 500 }));
    await options.getByRole('heading', { name: 'Revoke is locked' }).waitFor({ timeout: 10_000 });
    await popup.getByRole('heading', { name: 'Revoke is locked' }).waitFor({ timeout: 10_000 });

    expect(await options.getByRole('form', { name: 'Edit entry' }).count()).toBe(0);
    expect(await domText(options)).not.toContain(SECRET);
    expect(await domText(popup)).not.toContain(SECRET);
    expect(await options.evaluate(() => Object.keys(window).filter((k) => /entr|secret|snapshot|vault/i.test(k)))).toEqual([]);
    // Extension pages share one renderer and one heap: this covers the popup too.
    expect(await heapStringsWith(options, SECRET)).toEqual([]);

    await options.close();
    await popup.close();
  });

  it('the popup’s Lock button locks an open options page too; an edit saved without Show keeps the secret', async () => {
    const options = await b.page('options.html#authenticator');
    await options.getByLabel('Password').fill(PASSWORD);
    await options.getByRole('button', { name: 'Unlock' }).click();
    await options.getByRole('button', { name: `Edit ${ISSUER}` }).click();
    await options.getByLabel('Issuer').fill(`${ISSUER} Two`);
    await options.getByRole('button', { name: 'Save' }).click();
    await options.getByRole('button', { name: `Edit ${ISSUER} Two` }).click();
    await options.getByRole('button', { name: 'Show' }).click();
    expect(await options.getByLabel('Secret key').inputValue()).toBe(SECRET);

    const popup = await b.page('popup.html');
    await popup.getByRole('button', { name: 'Lock', exact: true }).click();
    await popup.getByRole('heading', { name: 'Revoke is locked' }).waitFor();
    await options.getByRole('heading', { name: 'Revoke is locked' }).waitFor({ timeout: 10_000 });
    expect(await domText(options)).not.toContain(SECRET);
    await options.close();
    await popup.close();
  });
});
