/**
 * The page in the tab the popup was opened on, reached with the temporary access that opening the
 * popup gives (activeTab, Chrome and Firefox alike): its address from tabs.query, its markers and
 * probes through scripting.executeScript (the extension's isolated world, the top frame only).
 * Without that grant the browser gives no URL, and nothing runs.
 */
import type { TabPage } from '../connectors/detect';
import type { Browser } from '../lib/browser';
import { probePage, readPageMarkers } from '../lib/page-markers';

export async function currentTabPage(browser: Browser): Promise<TabPage | null> {
  // The normal window last used: with the popup open, the page behind it (as the QR scan finds it).
  const win = await browser.windows.getLastFocused({ windowTypes: ['normal'] } as Parameters<Browser['windows']['getLastFocused']>[0]);
  const [tab] = await browser.tabs.query({ active: true, windowId: win.id! });
  if (tab?.id === undefined || !tab.url) return null;
  const tabId = tab.id;
  const run = async <A extends unknown[], R>(func: (...args: A) => R, args: A): Promise<Awaited<R> | null> => {
    try {
      const [first] = await browser.scripting.executeScript({ target: { tabId }, func, args });
      return (first?.result as Awaited<R> | undefined) ?? null;
    } catch {
      return null; // the browser's own pages, the web store, a tab that navigated away
    }
  };
  return {
    url: tab.url,
    read: (queries) => run(readPageMarkers, [queries]),
    probe: (path) => run(probePage, [path]),
  };
}
