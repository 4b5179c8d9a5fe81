/** The options list of codes for people with many: search, drag to reorder, delete many with one undo, long names. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, removeProfile, type Launched } from './harness';
import { createVault } from './flows';

const PASSWORD = 'entries list password';
const LONG = 'Averyveryverylongissuernamewithoutanyspaces'.repeat(4).slice(0, 150);

const titles = (page: Page) => page.locator('ol.entries > li strong').allTextContents();

/** Adds codes through the extension's own protocol, as the options page does. */
async function add(page: Page, issuers: string[]) {
  for (const issuer of issuers) {
    const reply = await page.evaluate((uri) => chrome.runtime.sendMessage({ type: 'entries/add-uri', body: { uri } }),
      `otpauth://totp/${encodeURIComponent(issuer)}:me?secret=JBSWY3DPEHPK3PXP&issuer=${encodeURIComponent(issuer)}`);
    expect(reply).toMatchObject({ ok: true });
  }
}

describe('options: the list of codes', () => {
  let b: Launched;
  let page: Page;
  beforeAll(async () => {
    b = await launch();
    page = await b.page('options.html#authenticator');
    await createVault(page, PASSWORD);
    await add(page, ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']);
    await page.reload();
    await page.locator('ol.entries > li').nth(4).waitFor();
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
  });

  it('searches by name; / focuses the search and Escape clears it', async () => {
    await page.locator('h2#entries-h').click(); // focus on the page, not in a field
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search codes');
    await page.keyboard.type('ha');
    await expect.poll(() => titles(page)).toEqual(['Alpha', 'Charlie']);
    await page.keyboard.press('Escape');
    await expect.poll(() => titles(page)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']);
  });

  it('reorders by dragging a card onto another; the order is stored and the popup follows', async () => {
    const card = (name: string) => page.locator('ol.entries > li').filter({ hasText: name });
    const handle = card('Alpha').locator('.drag-handle');
    const box = (await card('Delta').boundingBox())!;
    // The lower half of Delta: Alpha lands after it.
    await handle.dragTo(card('Delta'), { targetPosition: { x: box.width / 2, y: box.height * 0.75 } });
    await expect.poll(() => titles(page)).toEqual(['Bravo', 'Charlie', 'Delta', 'Alpha', 'Echo']);
    // The upper half of Bravo: Echo lands before it.
    await card('Echo').locator('.drag-handle').dragTo(card('Bravo'), { targetPosition: { x: 40, y: 4 } });
    await expect.poll(() => titles(page)).toEqual(['Echo', 'Bravo', 'Charlie', 'Delta', 'Alpha']);

    // Alt+arrow and the buttons still move too.
    await page.getByRole('button', { name: 'Move Alpha up' }).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => titles(page)).toEqual(['Echo', 'Bravo', 'Charlie', 'Alpha', 'Delta']);

    await page.reload();
    await expect.poll(() => titles(page)).toEqual(['Echo', 'Bravo', 'Charlie', 'Alpha', 'Delta']);
    const popup = await b.page('popup.html');
    await expect.poll(() => popup.locator('.issuer').allTextContents()).toEqual(['Echo', 'Bravo', 'Charlie', 'Alpha', 'Delta']);
    await popup.close();
  });

  it('deletes the selected codes and brings them all back with one Undo', async () => {
    await page.getByRole('checkbox', { name: 'Select Bravo' }).check();
    await page.getByRole('checkbox', { name: 'Select Alpha' }).check();
    await page.getByRole('checkbox', { name: 'Select Delta' }).check();
    await page.getByRole('button', { name: 'Delete selected (3)' }).click();
    await expect.poll(() => titles(page)).toEqual(['Echo', 'Charlie']);
    await page.getByRole('status').filter({ hasText: 'Deleted 3 codes.' }).waitFor();
    await page.reload(); // deleted in storage, not only on the page
    await expect.poll(() => titles(page)).toEqual(['Echo', 'Charlie']);

    await page.getByRole('checkbox', { name: 'Select all shown' }).check();
    await page.getByRole('button', { name: 'Delete selected (2)' }).click();
    await expect.poll(() => titles(page)).toEqual([]);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => titles(page)).toEqual(['Echo', 'Charlie']);
  });

  it('wraps a 150-character name inside its card: the page never scrolls sideways', async () => {
    await add(page, [LONG]);
    await page.reload();
    await expect.poll(() => titles(page)).toContain(LONG);
    for (const width of [1280, 800, 420]) {
      await page.setViewportSize({ width, height: 800 });
      const overflow = await page.evaluate(() => {
        const card = document.querySelector('ol.entries > li:last-child')!;
        return {
          page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          card: card.scrollWidth - card.clientWidth,
        };
      });
      expect(overflow, `at ${width} px`).toEqual({ page: 0, card: 0 });
    }
  });

  it('popup: a code is in the text colour, and amber only in its last 5 seconds', async () => {
    const popup = await b.ctx.newPage();
    // A clock the test moves: 1 s into a 30-s period, then 25 s later.
    const start = Math.ceil(Date.now() / 30_000) * 30_000 + 1_000;
    await popup.clock.install({ time: start });
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
    const row = popup.locator('li.entry').filter({ hasText: 'Charlie' });
    const colours = () => row.evaluate((li) => ({
      code: getComputedStyle(li.querySelector('.otp')!).color,
      text: getComputedStyle(document.body).color,
      warn: getComputedStyle(document.documentElement).getPropertyValue('--warn').trim(),
    }));
    await row.waitFor();
    const fresh = await colours();
    expect(fresh.code).toBe(fresh.text);
    await popup.clock.fastForward(25_000); // 4 s left
    await expect.poll(() => row.getAttribute('class')).toContain('expiring');
    const late = await colours();
    expect(late.code).not.toBe(late.text);
    expect(late.code).toBe(await popup.evaluate((hex) => {
      const probe = document.createElement('span');
      probe.style.color = hex;
      document.body.append(probe);
      return getComputedStyle(probe).color;
    }, late.warn));
    await popup.close();
  });

  it('primary, secondary and danger buttons are told apart in light and dark: only danger is red', async () => {
    const style = (name: string) => page.getByRole('button', { name }).first().evaluate((el) => {
      const s = getComputedStyle(el);
      return { bg: s.backgroundColor, fg: s.color, border: s.borderTopColor };
    });
    /** Red as a person sees it: a saturated hue near 0 degrees (dark mode's danger is a light pink-red). */
    const red = (rgb: string) => {
      const [r, g, b2] = rgb.match(/\d+/g)!.slice(0, 3).map((n) => Number(n) / 255) as [number, number, number];
      const max = Math.max(r, g, b2), min = Math.min(r, g, b2);
      if (max !== r || max - min < 0.25) return false;
      const hue = ((g - b2) / (max - min)) * 60;
      return hue > -30 && hue < 20;
    };
    try {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        const primary = await style('Add a code');
        const secondary = await style('Edit Charlie');
        const danger = await style('Delete Charlie');
        // Primary: filled with the accent, not red; secondary: neither filled like it nor red; danger: red text and outline.
        expect(red(primary.bg), `${scheme} primary`).toBe(false);
        expect(secondary.bg, `${scheme} secondary vs primary`).not.toBe(primary.bg);
        expect([red(secondary.fg), red(secondary.border)], `${scheme} secondary`).toEqual([false, false]);
        expect([red(danger.fg), red(danger.border)], `${scheme} danger`).toEqual([true, true]);
      }
    } finally {
      await page.emulateMedia({ colorScheme: null });
    }
  });

  it('import preview: a 150-character issuer wraps in its column and leaves the others readable', async () => {
    await page.getByRole('link', { name: 'Import & backup' }).click();
    const account = 'someone.with.a.long.address@example.com';
    await page.getByLabel(/Or paste otpauth:\/\/ links/).fill([
      `otpauth://totp/${LONG}:${account}?secret=JBSWY3DPEHPK3PXQ&issuer=${LONG}`,
      'otpauth://hotp/Counter:me?secret=JBSWY3DPEHPK3PXR&issuer=Counter&counter=1',
    ].join('\n'));
    await page.getByRole('button', { name: 'Read pasted text' }).click();
    const table = page.getByRole('table', { name: 'Codes found' });
    await table.waitFor();
    const width = (name: string) => table.getByRole('columnheader', { name, exact: true }).evaluate((th) => th.getBoundingClientRect().width);
    const issuer = await width('Issuer');
    expect(await width('Account')).toBeGreaterThanOrEqual(issuer * 0.9); // not squeezed by the long issuer
    expect(await width('Type')).toBeGreaterThanOrEqual(56);
    // "TOTP" on one line: its cell is one line tall while the issuer's wraps.
    const typeCell = table.getByRole('cell', { name: 'TOTP', exact: true });
    const lines = await typeCell.evaluate((td) => {
      const range = document.createRange();
      range.selectNodeContents(td);
      return range.getClientRects().length;
    });
    expect(lines).toBe(1);
    const scroll = await page.locator('.table-scroll').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(scroll).toBe(0);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });
});
