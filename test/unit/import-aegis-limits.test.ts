/**
 * An encrypted Aegis file chooses its own scrypt cost and number of password slots: both are
 * bounded, and a file beyond the bounds is refused before any scrypt work starts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImportError, importText } from '../../src/vault/import';

// Every scrypt run goes through this spy; by default it runs the real scrypt.
const scrypt = vi.hoisted(() => ({ spy: null as unknown as ReturnType<typeof vi.fn> }));
vi.mock('@noble/hashes/scrypt.js', async (original) => {
  const real = await original<typeof import('@noble/hashes/scrypt.js')>();
  scrypt.spy = vi.fn(real.scryptAsync);
  return { ...real, scryptAsync: scrypt.spy };
});

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const file = JSON.parse(readFileSync(path.resolve(repoRoot, 'test/fixtures/otp-exports/aegis_encrypted.json'), 'utf8'));
const passwordSlot = file.header.slots[0];
const withSlots = (slots: unknown[]) => JSON.stringify({ ...file, header: { ...file.header, slots } });

async function importError(input: string, password: string): Promise<ImportError> {
  const error = await importText(input, { password }).catch((e: unknown) => e);
  if (!(error instanceof ImportError)) throw new Error(`expected an ImportError, got ${String(error)}`);
  return error;
}

afterEach(() => {
  scrypt.spy.mockReset(); // back to the real scrypt, queued stand-ins dropped
});

describe('Aegis key-derivation limits', () => {
  it('refuses 10,000 password slots at once, without running scrypt', async () => {
    scrypt.spy.mockResolvedValue(new Uint8Array(32)); // fast if it is (wrongly) called
    // Aegis's own cost (about a second of scrypt each here): 10,000 of them would take hours.
    const text = withSlots(Array.from({ length: 10_000 }, () => passwordSlot));
    const started = performance.now();
    const error = await importError(text, 'test');
    // Parsing the 3 MB file is all that is left: about 0.2 s alone, more beside other suites.
    expect(performance.now() - started).toBeLessThan(1500);
    expect(error).toMatchObject({ code: 'unsupported', message: expect.stringContaining('10,000 password slots') });
    expect(scrypt.spy).not.toHaveBeenCalled();
  });

  it('refuses slots whose summed work is over the budget, though each is within the per-slot limit', async () => {
    scrypt.spy.mockResolvedValue(new Uint8Array(32));
    const heavy = { ...passwordSlot, n: 2 ** 17, r: 16, p: 2 }; // 2^22 work in 256 MiB: the most one slot may ask for
    const started = performance.now();
    const error = await importError(withSlots([heavy, heavy, heavy]), 'test');
    expect(performance.now() - started).toBeLessThan(1500);
    expect(error).toMatchObject({ code: 'unsupported', message: expect.stringContaining('Nothing was decrypted') });
    expect(error.message).toContain('limit 8,388,608');
    expect(scrypt.spy).not.toHaveBeenCalled();
  });

  it('tries slots up to the budget exactly', async () => {
    // Stand-in scrypt: the cost is what is under test, not the key.
    scrypt.spy.mockResolvedValueOnce(new Uint8Array(32)).mockResolvedValueOnce(new Uint8Array(32));
    const heavy = { ...passwordSlot, n: 2 ** 17, r: 16, p: 2 };
    expect(await importError(withSlots([heavy, heavy]), 'test')).toMatchObject({ code: 'wrong-password' });
    expect(scrypt.spy).toHaveBeenCalledTimes(2);
  });

  it('still opens a real export among many biometric and raw slots, which need no scrypt', async () => {
    const others = Array.from({ length: 5_000 }, (_, i) => ({ ...passwordSlot, type: i % 2 === 0 ? 2 : 0 }));
    const result = await importText(withSlots([...others, passwordSlot]), { password: 'test' });
    expect(result.entries.length).toBeGreaterThan(0);
    expect(scrypt.spy).toHaveBeenCalledTimes(1);
  });
});
