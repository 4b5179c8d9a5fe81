/**
 * Finds a DOM for what the background cannot do without one: checking the clipboard and parsing
 * HTML. Firefox's background page has a DOM; Chrome's service worker borrows its offscreen
 * document. Only one offscreen document may exist per extension, so both uses share it: the
 * first caller creates it (with both reasons), the last one to finish closes it.
 */
import { clearClipboardIfHolds as clearInDocument } from '../lib/clipboard-dom';
import { selectFromHtml, type HtmlQuery, type HtmlValues } from '../lib/html-select';
import type { OffscreenReply, OffscreenRequest } from '../lib/messages';

const OFFSCREEN_URL = 'offscreen.html';
const hasDom = () => __BROWSER__ === 'firefox' || typeof document !== 'undefined';

export async function clearClipboardIfHolds(text: string): Promise<string> {
  if (hasDom()) return clearInDocument(document, text);
  return offscreen({ target: 'offscreen', type: 'clipboard/clear-if-holds', text });
}

export async function selectHtml<Q extends HtmlQuery>(html: string, query: Q): Promise<HtmlValues<Q>> {
  if (hasDom()) return selectFromHtml(new DOMParser(), html, query);
  const reply = await offscreen<OffscreenReply<'html/select'>>({ target: 'offscreen', type: 'html/select', html, query });
  if (!reply.ok) throw new Error(reply.error);
  return reply.values as HtmlValues<Q>;
}

let users = 0;
let opening: Promise<void> | null = null;

async function offscreen<T>(request: OffscreenRequest): Promise<T> {
  users++;
  try {
    // One creation at a time: a second createDocument while the first runs would fail.
    opening ??= ensureDocument().finally(() => (opening = null));
    await opening;
    return (await chrome.runtime.sendMessage(request)) as T;
  } finally {
    if (--users === 0) await chrome.offscreen.closeDocument().catch(() => undefined);
  }
}

async function ensureDocument(): Promise<void> {
  const existing = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [chrome.runtime.getURL(OFFSCREEN_URL)],
  });
  if (existing.length > 0) return;
  await chrome.offscreen.createDocument({
    url: OFFSCREEN_URL,
    reasons: [chrome.offscreen.Reason.CLIPBOARD, chrome.offscreen.Reason.DOM_PARSER],
    justification: 'Clear a copied one-time code from the clipboard if it is still there, and read the session lists of linked sites’ pages.',
  });
}
