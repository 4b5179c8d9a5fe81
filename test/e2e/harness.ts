/**
 * Launches Debian's Chromium with the built test extension (dist-e2e/) and
 * opens its pages as a person would. One persistent profile per launch, so a
 * test can close the browser and start it again on the same profile.
 */
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { expect } from 'vitest';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const DIST = resolve(import.meta.dirname, '../../dist-e2e');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Launched {
  ctx: BrowserContext;
  sw: Worker;
  extensionId: string;
  profile: string;
  page(path: 'popup.html' | 'options.html' | string): Promise<Page>;
  close(): Promise<void>;
}

export function freshProfile(): string {
  return mkdtempSync(join(tmpdir(), 'revoke-e2e-'));
}

/**
 * `lang` starts the browser in that language (its UI, so the extension's messages, Intl and
 * Accept-Language). Chromium on Linux takes it from LANGUAGE and needs the locale's pak
 * (Debian's chromium-l10n, which `npm run setup` installs); without it the browser stays English.
 * `args`: more Chromium switches (a hosted service's origin mapped to a loopback stand-in).
 */
export async function launch(profile = freshProfile(), { lang, args = [] }: { lang?: string; args?: string[] } = {}): Promise<Launched> {
  if (!existsSync(join(DIST, 'manifest.json'))) throw new Error(`No test build in ${DIST}: run npm run build:e2e`);
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ...(lang ? { locale: lang, env: { ...process.env, LANGUAGE: lang, LANG: `${lang}.UTF-8` } } : {}),
    args: [
      ...(lang ? [`--lang=${lang}`] : []),
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--disable-extensions-except=${DIST}`, `--load-extension=${DIST}`,
      ...args,
    ],
  });
  const sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker'));
  const extensionId = new URL(sw.url()).host;
  return {
    ctx, sw, extensionId, profile,
    async page(path) {
      const p = await ctx.newPage();
      await p.goto(`chrome-extension://${extensionId}/${path}`);
      return p;
    },
    close: () => ctx.close(),
  };
}

export function removeProfile(profile: string): void {
  rmSync(profile, { recursive: true, force: true });
}

/** Reads every record of every object store of the extension's IndexedDB databases, raw. */
export async function dumpIndexedDb(page: Page): Promise<unknown> {
  return page.evaluate(async () => {
    const out: Record<string, Record<string, unknown[]>> = {};
    for (const info of await indexedDB.databases()) {
      const name = info.name!;
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      out[name] = {};
      for (const store of Array.from(db.objectStoreNames)) {
        out[name][store] = await new Promise<unknown[]>((res, rej) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
      }
      db.close();
    }
    // Binary values become arrays of byte values so the test can search them.
    const plain = (v: unknown): unknown => {
      if (v instanceof ArrayBuffer) return Array.from(new Uint8Array(v));
      if (ArrayBuffer.isView(v)) return Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      if (Array.isArray(v)) return v.map(plain);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
      return v;
    };
    return plain(out);
  });
}

/**
 * Stops the extension's service worker as Chromium does when it idles out; the next event starts a
 * new one. CDP ServiceWorker.stopWorker on a page's session, for this extension's version only:
 * observed going running -> stopping -> stopped, its in-flight fetches cancelled, globals gone.
 */
export async function stopServiceWorker(b: Launched, page: Page): Promise<void> {
  const cdp = await b.ctx.newCDPSession(page);
  const status = new Map<string, { scriptURL: string; runningStatus: string }>();
  const stopped = new Set<string>(); // the popup's next poll starts a new worker at once: remember the stop
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) {
      status.set(v.versionId, v);
      if (v.runningStatus === 'stopped') stopped.add(v.versionId);
    }
  });
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => [...status.values()].some((v) => v.scriptURL.startsWith(`chrome-extension://${b.extensionId}/`))).toBe(true);
  const [versionId] = [...status].find(([, v]) => v.scriptURL.startsWith(`chrome-extension://${b.extensionId}/`))!;
  await cdp.send('ServiceWorker.stopWorker', { versionId });
  await expect.poll(() => stopped.has(versionId)).toBe(true);
  await cdp.detach();
}
