/**
 * QR scanning for pages (popup, options). Loaded with import() only when the
 * person asks for a scan, so jsqr never weighs on the popup's start. (The MV3
 * service worker cannot import() at all, which is why this runs in pages.)
 */
import jsQR from 'jsqr';
import type { Browser } from '../lib/browser';
import { AppError } from '../lib/messages';
import { findQrCodes } from './find-codes';

async function pixelsOf(source: Blob) {
  const bitmap = await createImageBitmap(source);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(bitmap, 0, 0);
  bitmap.close();
  return g.getImageData(0, 0, canvas.width, canvas.height);
}

/** Every QR code in an image file or a pasted image. */
export async function scanImage(file: Blob): Promise<string[]> {
  let image: ImageData;
  try {
    image = await pixelsOf(file);
  } catch {
    throw new AppError('invalid-input', 'That file is not an image the browser can read (PNG, JPEG, GIF, WebP, BMP).', { key: 'words_notAnImage' });
  }
  return findQrCodes(image, jsQR);
}

/** Every QR code in the visible part of the tab the person is looking at. */
export async function scanVisibleTab(browser: Browser): Promise<string[]> {
  // The normal window last used: when the popup is open, that is the page behind it.
  const win = await browser.windows.getLastFocused({ windowTypes: ['normal'] } as Parameters<Browser['windows']['getLastFocused']>[0]);
  let dataUrl: string;
  try {
    dataUrl = await browser.tabs.captureVisibleTab(win.id!, { format: 'png' });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new AppError('forbidden', `The browser does not let extensions see this page. (${why})`, { key: 'words_pageProtected', subs: [why] });
  }
  return findQrCodes(await pixelsOf(await (await fetch(dataUrl)).blob()), jsQR);
}
