import { describe, expect, it } from 'vitest';
import { createCodeCache } from '../../src/ui/code-cache';
import { generateCode } from '../../src/vault/codes';
import type { OtpEntry } from '../../src/vault/types';

const entry: OtpEntry = {
  id: 'e1', type: 'totp', secret: 'JBSWY3DPEHPK3PXP', issuer: 'A', account: '', algorithm: 'SHA1', digits: 6, period: 30,
  counter: 0, note: '', site: '', pinned: false, position: 0, createdAt: 0, updatedAt: 0,
};
const T = Date.parse('2024-01-01T00:00:00Z');

describe('the codes view’s cache (it keeps decoded secrets, so it lives per view)', () => {
  it('gives the same codes as generateCode, across time steps and after the secret is edited', () => {
    const codeFor = createCodeCache();
    expect(codeFor(entry, T)).toBe(generateCode(entry, T));
    expect(codeFor(entry, T + 30_000)).toBe(generateCode(entry, T + 30_000));
    const edited = { ...entry, secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' };
    expect(codeFor(edited, T + 30_000)).toBe(generateCode(edited, T + 30_000));
    expect(codeFor(edited, T + 30_000)).not.toBe(codeFor(entry, T + 30_000));
  });
});
