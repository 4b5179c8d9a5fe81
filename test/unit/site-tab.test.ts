/**
 * The background tabs of "Any site" (background/site-tab.ts) over a fake browser: opened without
 * focus on the linked origin only, closed whatever the task did, and nothing run in the page while
 * the tab shows another origin.
 */
import { describe, expect, it } from 'vitest';
import { browserSiteTabs, siteTabRecord } from '../../src/background/site-tab';
import type { Browser } from '../../src/lib/browser';

const ORIGIN = 'https://app.example';

function fakeBrowser(tabUrl: string, status = 'complete') {
  const log = { created: [] as unknown[], removed: [] as number[], scripts: [] as string[], failScripts: false };
  const tab = { id: 7, url: tabUrl, status };
  const stored = new Map<string, unknown>();
  const browser = {
    storage: {
      session: {
        get: async (key: string) => (stored.has(key) ? { [key]: stored.get(key) } : {}),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => stored.set(k, v)),
      },
    },
    tabs: {
      create: async (details: unknown) => (log.created.push(details), { id: 7 }),
      get: async () => ({ ...tab }),
      remove: async (id: number | number[]) => void log.removed.push(...[id].flat()),
    },
    windows: { create: async () => ({ tabs: [{ id: 8 }] }) },
    scripting: {
      executeScript: async ({ func }: { func: (...a: unknown[]) => unknown }) => {
        log.scripts.push(func.name);
        if (log.failScripts) throw new Error('Frame with ID 0 was removed.');
        return [{ result: func.name === 'readLiveControls' ? { url: tab.url, controls: [], passwordField: false, loaded: 0 } : true }];
      },
    },
  };
  return { browser: browser as unknown as Browser, log, tab };
}

describe('background tabs on the linked site', () => {
  it('opens the page without focus, reads and presses on its origin, and closes the tab', async () => {
    const { browser, log } = fakeBrowser(`${ORIGIN}/`);
    const read = await browserSiteTabs(browser, ORIGIN).open(`${ORIGIN}/`, async (tab) => [await tab.read(), await tab.press(0)]);
    expect(log.created).toEqual([{ url: `${ORIGIN}/`, active: false }]);
    expect(read).toEqual([{ url: `${ORIGIN}/`, controls: [], passwordField: false, loaded: 0 }, true]);
    expect(log.scripts).toEqual(['readLiveControls', 'pressLiveControl']);
    expect(log.removed).toEqual([7]);
  });

  it('says “not known” when the browser erred while the page function ran: nothing read, and a press that may have happened', async () => {
    const { browser, log } = fakeBrowser(`${ORIGIN}/`);
    log.failScripts = true;
    const seen = await browserSiteTabs(browser, ORIGIN).open(`${ORIGIN}/`, async (tab) => [await tab.read(), await tab.press(0)]);
    expect(seen).toEqual([null, null]);
  });

  it('refuses to open another origin', async () => {
    const { browser, log } = fakeBrowser(`${ORIGIN}/`);
    await expect(browserSiteTabs(browser, ORIGIN).open('https://evil.example/', async () => 1)).rejects.toMatchObject({ kind: 'permission' });
    expect(log.created).toEqual([]);
  });

  it('runs nothing in a tab the site sent to another origin', async () => {
    const { browser, log } = fakeBrowser('https://sso.example.net/login');
    const seen = await browserSiteTabs(browser, ORIGIN).open(`${ORIGIN}/`, async (tab) => [await tab.read(), await tab.press(0)]);
    expect(seen).toEqual(['elsewhere', false]);
    expect(log.scripts).toEqual([]);
    expect(log.removed).toEqual([7]);
  });

  it('closes the tab when the task fails, and when the page never finishes loading', async () => {
    const failing = fakeBrowser(`${ORIGIN}/`);
    await expect(browserSiteTabs(failing.browser, ORIGIN).open(`${ORIGIN}/`, async () => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(failing.log.removed).toEqual([7]);
    const loading = fakeBrowser(`${ORIGIN}/`, 'loading');
    await expect(browserSiteTabs(loading.browser, ORIGIN, { loadMs: 300 }).open(`${ORIGIN}/`, async () => 1)).rejects.toMatchObject({ kind: 'timeout' });
    expect(loading.log.removed).toEqual([7]);
  });

  it('notes the open tab while it is open, so a worker stopped meanwhile has it closed by the next one', async () => {
    const { browser, log } = fakeBrowser(`${ORIGIN}/`);
    const record = siteTabRecord(browser);
    await browserSiteTabs(browser, ORIGIN, { record }).open(`${ORIGIN}/`, async () => {
      // The worker stops here: the next one starts over with the same storage.session.
      const next = siteTabRecord(browser);
      await next.closeLeftOver();
      expect(log.removed).toEqual([7]);
    });
    expect(log.removed).toEqual([7, 7]);
    await siteTabRecord(browser).closeLeftOver();
    expect(log.removed).toEqual([7, 7]); // nothing left over after a tab closed normally
  });
});
