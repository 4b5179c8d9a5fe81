/**
 * Cross-checks our codes against Debian's oathtool, an independent implementation, on random
 * secrets, algorithms, digit counts, periods and times. Each run draws new cases; a failure names
 * its seed, and OATHTOOL_SEED=<seed> replays exactly those cases.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesToBase32 } from '../../src/vault/base32';
import { generateCode } from '../../src/vault/codes';
import { validateEntryInput } from '../../src/vault/otp-uri';
import type { EntryInput, OtpAlgorithm } from '../../src/vault/types';

const OATHTOOL = '/usr/bin/oathtool';
const SEED = Number(process.env.OATHTOOL_SEED ?? Math.floor(Math.random() * 2 ** 32));

/** mulberry32: a tiny seeded PRNG, enough to make random cases reproducible. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T,>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(0, 255));
  return { int, pick, bytes };
}

/** Runs oathtool with the secret on stdin (not argv) and returns the codes it prints, one per line. */
function oathtool(args: string[], secret: string): string[] {
  return execFileSync(OATHTOOL, ['-b', ...args, '-'], { input: `${secret}\n`, encoding: 'utf8' }).trim().split('\n');
}

/** Our way in for a secret as a person might type it: lower case, grouped with spaces. */
function messy(secret: string): string {
  return secret.toLowerCase().replace(/(.{4})/g, '$1 ');
}

function entry(fields: Record<string, string | number>): EntryInput {
  const result = validateEntryInput(fields);
  if (!result.ok) throw new Error(`${result.error} (seed ${SEED})`);
  return result.entry;
}

describe(`oathtool cross-check (OATHTOOL_SEED=${SEED})`, () => {
  const rnd = prng(SEED);
  const ALGORITHMS: OtpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];

  it('has oathtool installed (CI installs the oathtool package)', () => {
    expect(existsSync(OATHTOOL), `${OATHTOOL} is missing: apt-get install oathtool`).toBe(true);
  });

  it('agrees on TOTP codes for 40 random secrets, algorithms, digits, periods and times', () => {
    for (let i = 0; i < 40; i++) {
      const secret = bytesToBase32(rnd.bytes(rnd.int(10, 64)));
      const algorithm = rnd.pick(ALGORITHMS);
      const digits = rnd.pick([6, 7, 8]);
      const period = rnd.pick([15, 20, 30, 45, 50, 60, 90, 120, rnd.int(1, 600)]);
      const seconds = rnd.int(0, 2 ** 33);
      const e = entry({ type: 'totp', secret: i % 2 ? messy(secret) : secret, algorithm, digits, period });
      // -w 3 prints the codes of this and the next three time steps.
      const theirs = oathtool([`--totp=${algorithm}`, `--digits=${digits}`, `--time-step-size=${period}s`, `--now=@${seconds}`, '-w', '3'], secret);
      const ours = [0, 1, 2, 3].map((step) => generateCode(e, (seconds + step * period) * 1000 + rnd.int(0, 999)));
      // The first time is not on a step boundary, so the millisecond offset must not change anything.
      expect(ours, `seed ${SEED}, case ${i}: ${algorithm} digits=${digits} period=${period} t=${seconds} secret=${secret}`).toEqual(theirs);
    }
  });

  it('agrees on HOTP codes (SHA1) for random secrets and counters', () => {
    for (let i = 0; i < 15; i++) {
      const secret = bytesToBase32(rnd.bytes(rnd.int(10, 40)));
      const digits = rnd.pick([6, 7, 8]);
      const counter = rnd.pick([0, 1, rnd.int(2, 1000), rnd.int(0, 2 ** 40)]);
      const theirs = oathtool(['--hotp', `--digits=${digits}`, `--counter=${counter}`, '-w', '2'], secret);
      const ours = [0, 1, 2].map((step) => generateCode(entry({ type: 'hotp', secret, digits, counter: counter + step }), 0));
      expect(ours, `seed ${SEED}, case ${i}: digits=${digits} counter=${counter} secret=${secret}`).toEqual(theirs);
    }
  });

  it('agrees on HOTP with SHA256 and SHA512 (as TOTP with a 1 s step, whose time step is the counter)', () => {
    for (let i = 0; i < 10; i++) {
      const secret = bytesToBase32(rnd.bytes(rnd.int(16, 64)));
      const algorithm = rnd.pick(ALGORITHMS);
      const digits = rnd.pick([6, 7, 8]);
      const counter = rnd.int(0, 2 ** 32);
      const [theirs] = oathtool([`--totp=${algorithm}`, `--digits=${digits}`, '--time-step-size=1s', `--now=@${counter}`], secret);
      const ours = generateCode(entry({ type: 'hotp', secret, algorithm, digits, counter }), 0);
      expect(ours, `seed ${SEED}, case ${i}: ${algorithm} digits=${digits} counter=${counter} secret=${secret}`).toBe(theirs);
    }
  });
});
