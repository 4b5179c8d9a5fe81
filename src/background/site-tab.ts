/**
 * Background tabs on one linked site's origin, for "Any site" sign-outs that only the site's own
 * script carries out (connectors/sign-out/live-sign-out.ts). The tab opens without focus (a
 * minimised window where no window takes a tab), its page is read and pressed through
 * scripting.executeScript with the host permission the person granted for that site, and it is
 * closed whatever happens. Whenever the tab shows another origin (the site sent it elsewhere),
 * nothing runs in it.
 */
import type { Browser } from '../lib/browser';
import { serialQueue } from '../lib/serial-queue';
import { pressLiveControl, readLiveControls } from '../lib/live-controls';
import { connectorError } from '../connectors/common';
import type { SiteTab, SiteTabs } from '../connectors/types';

const LOAD_MS = 10_000;
const POLL_MS = 150;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function originOf(url: string | undefined): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

/**
 * The background tabs open now, kept in storage.session (memory only): a worker stopped in the
 * middle of a sign-out leaves its tab open, and the next worker closes it on start.
 */
export interface SiteTabRecord {
  opened(tabId: number): Promise<unknown>;
  closed(tabId: number): Promise<unknown>;
  /** Closes the tabs a stopped worker left open (call once, when the worker starts). */
  closeLeftOver(): Promise<void>;
}

export function siteTabRecord(browser: Browser): SiteTabRecord {
  const KEY = 'siteTabs';
  // One change at a time: sign-outs of several sites open tabs in parallel.
  const queue = serialQueue();
  const update = (change: (ids: number[]) => number[]): Promise<number[]> =>
    queue(async () => {
      const ids = ((await browser.storage.session.get(KEY))[KEY] as number[] | undefined) ?? [];
      await browser.storage.session.set({ [KEY]: change(ids) });
      return ids;
    }).catch(() => []);
  return {
    opened: (id) => update((ids) => [...ids, id]),
    closed: (id) => update((ids) => ids.filter((i) => i !== id)),
    async closeLeftOver() {
      const left = await update(() => []);
      if (left.length > 0) await browser.tabs.remove(left).catch(() => undefined);
    },
  };
}

/** `loadMs`: how long a page may take to load (tests shorten it); `record`: where open tabs are noted. */
export function browserSiteTabs(browser: Browser, origin: string, { loadMs = LOAD_MS, record }: { loadMs?: number; record?: SiteTabRecord } = {}): SiteTabs {
  const own = new URL(origin).origin;

  async function create(url: string): Promise<number> {
    try {
      const tab = await browser.tabs.create({ url, active: false });
      if (tab.id !== undefined) return tab.id;
    } catch {
      // No normal window to hold a tab (every window closed, or only a popup's).
    }
    const win = await browser.windows.create({ url, focused: false, state: 'minimized' });
    const id = win.tabs?.[0]?.id;
    if (id === undefined) throw connectorError('server', { key: 'say_tabNone' });
    return id;
  }

  /**
   * The tab's origin once it finished loading: null while it loads or is not known, 'elsewhere' on
   * another origin. Firefox shows a new tab's initial about:blank as complete, and gives no URL
   * for a page Revoke has no host permission for: unknown, so nothing runs there (the page
   * function checks its own origin too, and executeScript refuses pages without permission).
   */
  async function where(tabId: number): Promise<'own' | 'elsewhere' | null> {
    const tab = await browser.tabs.get(tabId).catch(() => {
      throw connectorError('page-changed', { key: 'say_tabClosed' });
    });
    if (tab.status !== 'complete' || !tab.url || tab.url === 'about:blank') return null;
    return originOf(tab.url) === own ? 'own' : 'elsewhere';
  }

  async function run<A extends unknown[], R>(tabId: number, func: (...args: A) => R, args: A): Promise<R | null> {
    try {
      const [first] = await browser.scripting.executeScript({ target: { tabId }, func, args });
      return (first?.result as R | undefined) ?? null;
    } catch {
      return null; // the page navigated meanwhile, or the browser refused
    }
  }

  return {
    async open(url, task) {
      if (originOf(url) !== own) throw connectorError('permission', { key: 'say_tabOnlyOn', subs: [own] });
      const tabId = await create(url);
      await record?.opened(tabId);
      try {
        const deadline = Date.now() + loadMs;
        while ((await where(tabId)) === null) {
          if (Date.now() > deadline) throw connectorError('timeout', { key: 'say_tabNotLoaded', subs: [new URL(own).host] });
          await sleep(POLL_MS);
        }
        const tab: SiteTab = {
          async read() {
            const at = await where(tabId);
            if (at !== 'own') return at;
            const page = await run(tabId, readLiveControls, []);
            if (!page) return null;
            return originOf(page.url) === own ? page : 'elsewhere';
          },
          async press(index) {
            if ((await where(tabId)) !== 'own') return false;
            const pressed = await run(tabId, pressLiveControl, [index, own]);
            return pressed === null ? null : pressed === true;
          },
        };
        return await task(tab);
      } finally {
        await browser.tabs.remove(tabId).catch(() => undefined);
        await record?.closed(tabId);
      }
    },
  };
}
