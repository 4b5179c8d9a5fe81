/**
 * Moving entry records from one data key to another, for a password change after a suspected
 * leak: afterwards the old key (from an old copy of the header and the old password) opens nothing.
 */
import { entryAad, isAuthFailure, seal, unseal } from './crypto';
import { isEntryRecord, type EntryRecord } from './store';

export interface Reencrypted {
  /** The records under the new key, same ids. */
  replace: EntryRecord[];
  /** Ids of records that do not decrypt under the old key, sorted: they are left exactly as they were. */
  keptDamaged: string[];
}

/**
 * Each record's plaintext is re-sealed byte for byte, not re-parsed, so an entry that a stricter
 * check would now refuse is still carried over. Records that fail to decrypt cannot be
 * re-encrypted. Keeping them (rather than refusing the whole change) is what a person who fears a
 * leak wants: the re-key happens, and a record nobody can read is no safer or worse for it. They
 * still show as damaged and can be discarded.
 */
export async function reencryptRecords(records: readonly unknown[], oldKey: CryptoKey, newKey: CryptoKey): Promise<Reencrypted> {
  const resealed = await Promise.all(records.map(async (record): Promise<EntryRecord | null> => {
    if (!isEntryRecord(record)) return null;
    const aad = entryAad(record.id);
    let plaintext;
    try {
      plaintext = await unseal(oldKey, record, aad);
    } catch (e) {
      if (isAuthFailure(e)) return null;
      throw e;
    }
    return { id: record.id, ...(await seal(newKey, plaintext, aad)) };
  }));
  return {
    replace: resealed.filter((r) => r !== null),
    keptDamaged: records.filter((_, i) => resealed[i] === null).map((r) => String((r as { id?: unknown } | null)?.id)).sort(),
  };
}
