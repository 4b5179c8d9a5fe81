/** Shared pieces of the benchmarks: launching Chromium with a build, figures. */
import { chromium, type BrowserContext } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const fmt = (n: number, unit: string) => `${n.toFixed(n < 10 ? 2 : 1)} ${unit}`;

/** A figure against its goal, as the bench prints it. */
export const against = (ok: boolean, goal: string) => `${goal}  ${ok ? 'PASS' : 'FAIL'}`;

export function row(name: string, value: string, goal = '') {
  console.log(`${name.padEnd(52)} ${value.padStart(18)}  ${goal}`);
}

export async function withExtension<T>(dist: string, fn: (ctx: BrowserContext, id: string) => Promise<T>): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'revoke-bench-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--disable-extensions-except=${dist}`, `--load-extension=${dist}`],
  });
  try {
    const sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker'));
    return await fn(ctx, new URL(sw.url()).host);
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
