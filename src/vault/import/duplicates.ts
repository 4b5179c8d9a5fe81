/**
 * Which imported entries are already in the vault, or repeat an earlier entry of the same import.
 *
 * - 'exact': same type, same secret (compared as bytes, so "jbsw y3dp" and "JBSWY3DP" match) and
 *   same issuer and account (compared case-insensitively, NFKC-normalised, whitespace collapsed).
 *   This is the same account; importing it again would only add clutter.
 * - 'same-secret': same type and secret, different names. Secrets are random, so this is almost
 *   certainly the same account named differently by another app; the user should decide.
 *
 * Algorithm, digits, period and HOTP counter are deliberately not compared: they do not make a
 * different account (a differing counter is the same account used elsewhere since).
 */
import { base32ToBytes, bytesToBase32, normalizeBase32 } from '../base32';
import type { EntryInput, OtpEntry } from '../types';
import type { ImportedEntry } from './types';

export type Duplicate =
  | { of: 'existing'; entryId: string; match: 'exact' | 'same-secret' }
  | { of: 'import'; index: number; match: 'exact' | 'same-secret' };

type Ref = { of: 'existing'; entryId: string } | { of: 'import'; index: number };

function canonicalSecret(secret: string): string {
  try {
    return bytesToBase32(base32ToBytes(secret));
  } catch {
    return normalizeBase32(secret);
  }
}

const canonicalName = (text: string): string => text.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();

export function duplicateKeys(entry: EntryInput): { exact: string; secret: string } {
  const secret = `${entry.type}\u0000${canonicalSecret(entry.secret)}`;
  return { secret, exact: `${secret}\u0000${canonicalName(entry.issuer)}\u0000${canonicalName(entry.account)}` };
}

/** One result per imported entry, in order: null when it is new, else what it duplicates (the vault first). */
export function markDuplicates(imported: readonly ImportedEntry[], existing: readonly OtpEntry[]): (Duplicate | null)[] {
  const exactInVault = new Map<string, Ref>();
  const secretInVault = new Map<string, Ref>();
  for (const entry of existing) {
    const keys = duplicateKeys(entry);
    const ref: Ref = { of: 'existing', entryId: entry.id };
    if (!exactInVault.has(keys.exact)) exactInVault.set(keys.exact, ref);
    if (!secretInVault.has(keys.secret)) secretInVault.set(keys.secret, ref);
  }
  const exactInImport = new Map<string, Ref>();
  const secretInImport = new Map<string, Ref>();
  return imported.map((entry, index) => {
    const keys = duplicateKeys(entry.input);
    const exact = exactInVault.get(keys.exact) ?? exactInImport.get(keys.exact);
    const sameSecret = exact ? undefined : secretInVault.get(keys.secret) ?? secretInImport.get(keys.secret);
    const ref: Ref = { of: 'import', index };
    if (!exactInImport.has(keys.exact)) exactInImport.set(keys.exact, ref);
    if (!secretInImport.has(keys.secret)) secretInImport.set(keys.secret, ref);
    if (exact) return { ...exact, match: 'exact' };
    if (sameSecret) return { ...sameSecret, match: 'same-secret' };
    return null;
  });
}
