// `npm start`: builds Revoke (done by the npm script), starts the local demo
// services and opens Chromium with the extension loaded, on a fresh profile:
//  - a better-auth app (real better-auth on loopback) whose demo user is signed
//    in from several "devices", so there are real sessions to see and end;
//  - a two-step sign-in setup page, to try the authenticator.
import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDemoServer } from './demo-server.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const TOTP_PORT = Number(process.env.DEMO_PORT ?? 8787);
const APP_PORT = Number(process.env.DEMO_APP_PORT ?? 8788);
const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const hasXvfbRun = () => spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;

function startBetterAuthDemo() {
  const child = spawn(process.execPath, [join(ROOT, 'test/servers/better-auth/server.mjs'), '--port', String(APP_PORT), '--demo'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolveStart, reject) => {
    child.stdout.on('data', (chunk) => {
      const text = String(chunk);
      if (text.includes('listening')) resolveStart(child);
    });
    child.on('exit', (code) => reject(new Error(`the better-auth demo server stopped (exit ${code}); did npm run setup run?`)));
  });
}

const app = await startBetterAuthDemo();
await startDemoServer(TOTP_PORT);
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

// Sign this browser in to the demo app too, so one of its sessions is "this browser".
const appPage = ctx.pages()[0] ?? (await ctx.newPage());
await appPage.goto(`http://127.0.0.1:${APP_PORT}/`);
await appPage.getByRole('button', { name: 'Sign in' }).click();
const totpPage = await ctx.newPage();
await totpPage.goto(`http://127.0.0.1:${TOTP_PORT}/`);
const options = await ctx.newPage();
await options.goto(`chrome-extension://${id}/options.html#accounts`);

console.log(`
Revoke is loaded (extension id ${id}).

Sessions: in Revoke's settings (open in a tab), choose "Apps built on better-auth", enter
    http://127.0.0.1:${APP_PORT}/
  press "Link account" and allow access to that site. Then open Revoke from the toolbar,
  tab "Sessions": the demo user's sessions on four devices plus this browser. End one,
  or sign out everywhere (also Alt+Shift+Q).
Authenticator: http://127.0.0.1:${TOTP_PORT}/ shows a two-step sign-in setup to try the Codes tab.
`);
if (headless) {
  mkdirSync(join(ROOT, '.demo'), { recursive: true });
  const popup = await ctx.newPage();
  await popup.setViewportSize({ width: 360, height: 480 });
  await popup.goto(`chrome-extension://${id}/popup.html`);
  await popup.screenshot({ path: join(ROOT, '.demo/popup.png') });
  await options.screenshot({ path: join(ROOT, '.demo/options.png') });
  await appPage.screenshot({ path: join(ROOT, '.demo/app.png') });
  await totpPage.screenshot({ path: join(ROOT, '.demo/two-step.png') });
  console.log(`No display was found, so Chromium runs headless (no window). It saved what it shows to
  .demo/popup.png, .demo/options.png, .demo/app.png and .demo/two-step.png.`);
  if (hasXvfbRun()) console.log('For a real browser window on a virtual display (for VNC or screenshots of the whole window): xvfb-run -a npm start');
}
console.log('Press Ctrl+C to stop.');
const stop = async () => {
  app.kill();
  await ctx.close().catch(() => {});
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
ctx.on('close', stop);
