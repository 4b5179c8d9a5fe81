/**
 * Entries in and out of their records: each entry is encrypted on its own under the data key
 * (AES-256-GCM), with an AAD naming its id, so a record cannot be passed off under another id.
 */
import { decryptJson, encryptJson, entryAad, isAuthFailure } from './crypto';
import { checkEntry, compareEntries, isObject } from './entry-check';
import { VaultError } from './errors';
import { isEntryRecord, type EntryRecord } from './store';
import type { OtpEntry, VaultList } from './types';

export function sealEntry(key: CryptoKey, entry: OtpEntry): Promise<EntryRecord> {
  // The id travels in the clear as the record key, and inside the AAD; the payload is the rest.
  const { id, ...payload } = entry;
  return encryptJson(key, payload, entryAad(id)).then(({ iv, ciphertext }) => ({ id, iv, ciphertext }));
}

/** The entry in a record, or null when the record is damaged, tampered with, or not an entry. */
export async function openEntry(key: CryptoKey, record: unknown): Promise<OtpEntry | null> {
  if (!isEntryRecord(record)) return null;
  try {
    const payload = await decryptJson(key, record, entryAad(record.id));
    return isObject(payload) ? checkEntry({ ...payload, id: record.id }) : null;
  } catch (e) {
    if (isAuthFailure(e) || e instanceof SyntaxError || e instanceof TypeError || e instanceof VaultError) return null;
    throw e;
  }
}

/** Every readable entry in order, and the ids of the records that are not. */
export async function openAll(key: CryptoKey, records: unknown[]): Promise<VaultList> {
  const opened = await Promise.all(records.map((r) => openEntry(key, r)));
  const entries: OtpEntry[] = [];
  const corrupt: string[] = [];
  opened.forEach((entry, i) => {
    if (entry) entries.push(entry);
    else corrupt.push(String((records[i] as { id?: unknown } | null)?.id));
  });
  return { entries: entries.sort(compareEntries), corrupt: corrupt.sort() };
}
