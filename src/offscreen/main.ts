/** Chrome's offscreen document: the DOM the service worker lacks, used only for the clipboard. */
import { clearClipboardIfHolds } from '../lib/clipboard-dom';
import { isOffscreenRequest } from '../lib/messages';

chrome.runtime.onMessage.addListener((msg: unknown, _sender, sendResponse) => {
  if (!isOffscreenRequest(msg)) return false; // not ours: let the background answer
  sendResponse(clearClipboardIfHolds(document, msg.text));
  return false;
});
