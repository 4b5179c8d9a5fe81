import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import baseManifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };
import { jsqrWithoutKanji } from './scripts/jsqr-without-kanji.ts';
import { privacyPage } from './scripts/privacy-page.ts';
import { publicSuffixList } from './scripts/public-suffix-list.ts';
import { shippedMessages } from './scripts/shipped-messages.ts';
import { startupChunks } from './scripts/startup-chunks.ts';

// One source manifest; the Firefox and end-to-end variants are derived here so
// they cannot drift from it.
//   BROWSER=firefox  -> dist-firefox/: background scripts, gecko id, no offscreen
//   E2E=1            -> a test build that lists the loopback test hosts in
//                       host_permissions (headless tests cannot answer the
//                       permission prompt) and exposes a test hook page.
const browser = process.env.BROWSER === 'firefox' ? 'firefox' : 'chrome';
const e2e = process.env.E2E === '1';

function manifestFor(): ManifestV3Export {
  const m = structuredClone(baseManifest) as Record<string, any>;
  // package.json is the one place the version is set: packages are named after it too.
  m.version = pkg.version;
  if (browser === 'firefox') {
    m.background = { scripts: ['src/background/index.ts'], type: 'module' };
    // Firefox ignores an `origin` set in fetch(): a session rule sets it instead (origin-rules.ts).
    m.permissions = [...m.permissions.filter((p: string) => p !== 'offscreen'), 'declarativeNetRequestWithHostAccess'];
    delete m.minimum_chrome_version;
    m.browser_specific_settings = {
      gecko: {
        id: 'revoke@revoke.invalid',
        strict_min_version: '142.0',
        data_collection_permissions: { required: ['none'] },
      },
    };
  }
  if (e2e) {
    m.name = 'Revoke (test build)';
    // Distinct loopback hosts stand for distinct sites: cookies are not port-scoped.
    // *.localhost resolves to loopback in Chromium: as many separate sites as a test wants.
    m.host_permissions = ['127.0.0.1', '127.0.0.2', '127.0.0.3', 'localhost', '*.localhost']
      .flatMap((h) => [`http://${h}/*`, `https://${h}/*`]);
    // captureVisibleTab needs activeTab, which only a person's click on the toolbar button
    // grants; a driven popup never gets it. <all_urls> stands in for that grant here.
    m.host_permissions.push('<all_urls>');
  }
  return m as ManifestV3Export;
}

export default defineConfig({
  plugins: [preact(), crx({ manifest: manifestFor(), browser }), privacyPage({ 'privacy.html': ['PRIVACY.md', 'en'], 'privacy.de.html': ['PRIVACY.de.md', 'de'] }), jsqrWithoutKanji(), publicSuffixList(), shippedMessages(),
    // What the popup runs before its first frame comes in three chunks, and so does what its
    // Sessions tab adds (see the script).
    startupChunks({
      page: 'popup.html',
      sets: { start: ['src/popup/main.tsx', 'src/popup/view.tsx'], sessions: ['src/popup/SessionsView.tsx', 'src/popup/local-overview.ts'] },
      worker: 'src/background/index.ts',
    })],
  // Lets browser-specific code drop out of the other browser's build (e.g. offscreen documents).
  define: { __BROWSER__: JSON.stringify(browser), __E2E__: JSON.stringify(e2e) },
  build: {
    outDir: browser === 'firefox' ? 'dist-firefox' : 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Source maps would double the download of every page for no user benefit.
    sourcemap: false,
    // Extension pages run in browsers that all support modulepreload natively.
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { offscreen: 'offscreen.html', welcome: 'welcome.html' },
    },
  },
  server: { port: 5173, strictPort: true, hmr: { port: 5173 } },
});
