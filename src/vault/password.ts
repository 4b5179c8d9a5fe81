/**
 * The data key under a password: wrapped by a key derived from the password (PBKDF2-HMAC-SHA256)
 * into the vault's header, unwrapped to unlock, and replaced by a fresh one when a password change
 * asks for it (every entry re-encrypted, so an old copy of the header opens nothing).
 */
import { deriveKek, generateDataKey, importDataKey, isAuthFailure, newKdfParams, unwrapDataKey, wrapDataKey, type Bytes } from './crypto';
import { VaultError, damagedHeader, notInitialized, wrongPassword } from './errors';
import type { HeldKey } from './key-cache';
import { reencryptRecords } from './rekey';
import { VAULT_FORMAT, checkHeader, readEverything, readHeader, rekeyVaultRecords, type VaultDb, type VaultHeader } from './store';
import type { PasswordChange } from './types';

export async function wrapHeader(password: string, raw: Bytes, createdAt: number, iterations: number): Promise<VaultHeader> {
  const kdf = newKdfParams(iterations);
  const wrappedKey = await wrapDataKey(await deriveKek(password, kdf), raw);
  return { format: VAULT_FORMAT, kdf, wrappedKey, createdAt };
}

/** GCM authentication failure on the wrapped key is the only sign of a wrong password. */
export async function unwrapHeader(password: string, header: VaultHeader): Promise<Bytes> {
  if (typeof password !== 'string') throw wrongPassword();
  const kek = await deriveKek(password, header.kdf);
  try {
    return await unwrapDataKey(kek, header.wrappedKey);
  } catch (e) {
    throw isAuthFailure(e) ? wrongPassword() : e;
  }
}

/** A stored header that can be used, or the refusal saying why not. */
function usableHeader(stored: unknown): VaultHeader {
  if (stored === undefined) throw notInitialized();
  const check = checkHeader(stored);
  if (!check.ok) throw damagedHeader(check.problem);
  return check.header;
}

export async function requireHeader(db: VaultDb): Promise<VaultHeader> {
  return usableHeader(await readHeader(db));
}

/**
 * Re-encrypts every entry under a new data key (see rekey.ts for what happens to damaged
 * records) and writes them with the new header in one transaction: all or nothing.
 */
export async function rekeyVault(
  db: VaultDb, held: HeldKey, passwords: { old: string; new: string }, iterations: number,
): Promise<PasswordChange> {
  const { header: stored, records } = await readEverything(db);
  const before = usableHeader(stored);
  const oldRaw = await unwrapHeader(passwords.old, before);
  const newRaw = generateDataKey();
  const { replace, keptDamaged } = await reencryptRecords(records, await importDataKey(oldRaw), await importDataKey(newRaw));
  const header = await wrapHeader(passwords.new, newRaw, before.createdAt, iterations);

  // Locked during the switch: a worker stopped between the commit and the cache update must
  // not wake holding the old key, under which every re-encrypted entry would read as damaged.
  await held.forget();
  let written: boolean;
  try {
    written = await rekeyVaultRecords(db, { expected: { header: before, records }, header, replace });
  } catch (e) {
    await held.remember(oldRaw);
    throw e;
  }
  if (!written) {
    await held.remember(oldRaw);
    throw new VaultError('conflict', 'The vault changed while it was being re-encrypted. Nothing was changed; try again.', { key: 'words_rekeyClash' });
  }
  await held.remember(newRaw);
  return { reencrypted: replace.length, keptDamaged };
}
