/**
 * Finds a DOM to touch the clipboard from: Firefox's background page has one;
 * Chrome's service worker borrows an offscreen document for the moment.
 */
import { clearClipboardIfHolds as clearInDocument } from '../lib/clipboard-dom';
import type { OffscreenRequest } from '../lib/messages';

const OFFSCREEN_URL = 'offscreen.html';

export async function clearClipboardIfHolds(text: string): Promise<string> {
  if (__BROWSER__ === 'firefox' || typeof document !== 'undefined') return clearInDocument(document, text);
  const url = chrome.runtime.getURL(OFFSCREEN_URL);
  const existing = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [url],
  });
  if (existing.length === 0) {
    await chrome.offscreen.createDocument({
      url: OFFSCREEN_URL,
      reasons: [chrome.offscreen.Reason.CLIPBOARD],
      justification: 'Clear a copied one-time code from the clipboard if it is still there.',
    });
  }
  try {
    const request: OffscreenRequest = { target: 'offscreen', type: 'clipboard/clear-if-holds', text };
    return (await chrome.runtime.sendMessage(request)) as string;
  } finally {
    await chrome.offscreen.closeDocument().catch(() => undefined);
  }
}
