/** Chrome's offscreen document: the DOM the service worker lacks, for the clipboard and for reading HTML pages. */
import { clearClipboardIfHolds } from '../lib/clipboard-dom';
import { selectFromHtml } from '../lib/html-select';
import { isOffscreenRequest, type OffscreenReply, type OffscreenRequest } from '../lib/messages';

const parser = new DOMParser();

function answer(msg: OffscreenRequest): OffscreenReply<OffscreenRequest['type']> {
  if (msg.type === 'clipboard/clear-if-holds') return clearClipboardIfHolds(document, msg.text);
  try {
    return { ok: true, values: selectFromHtml(parser, msg.html, msg.query) };
  } catch (e) {
    // A bad selector is Revoke's own mistake; its message crosses as text (errors do not clone).
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

chrome.runtime.onMessage.addListener((msg: unknown, _sender, sendResponse) => {
  if (!isOffscreenRequest(msg)) return false; // not ours: let the background answer
  sendResponse(answer(msg));
  return false;
});
