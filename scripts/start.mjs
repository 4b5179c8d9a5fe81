// `npm start`: builds Revoke (done by the npm script), starts the local demo
// service and opens Chromium with the extension loaded, on a fresh profile.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDemoServer } from './demo-server.mjs';

const DIST = resolve(import.meta.dirname, '../dist');
const PORT = Number(process.env.DEMO_PORT ?? 8787);
const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

await startDemoServer(PORT);
const profile = mkdtempSync(join(tmpdir(), 'revoke-demo-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless,
  viewport: null,
  args: ['--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ...(headless ? ['--no-sandbox', '--disable-gpu'] : []),
    `--disable-extensions-except=${DIST}`, `--load-extension=${DIST}`],
});
const sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker'));
const id = new URL(sw.url()).host;
const demo = ctx.pages()[0] ?? (await ctx.newPage());
await demo.goto(`http://127.0.0.1:${PORT}/`);
const popup = await ctx.newPage();
await popup.goto(`chrome-extension://${id}/popup.html`);

console.log(`Revoke is loaded (extension id ${id}).`);
console.log(`Demo service: http://127.0.0.1:${PORT}/  (a two-step sign-in setup to try the authenticator)`);
console.log(`Popup in a tab: chrome-extension://${id}/popup.html  ·  Settings: chrome-extension://${id}/options.html`);
if (headless) {
  mkdirSync('.demo', { recursive: true });
  await popup.setViewportSize({ width: 360, height: 480 });
  await popup.screenshot({ path: '.demo/popup.png' });
  console.log('No display found, so Chromium runs headless; a screenshot of the popup is in .demo/popup.png.');
}
console.log('Press Ctrl+C to stop.');
const stop = async () => { await ctx.close().catch(() => {}); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
ctx.on('close', () => process.exit(0));
