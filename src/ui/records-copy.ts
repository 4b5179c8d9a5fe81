/**
 * The popup's copy of the vault's sealed records, in the extension's localStorage: read with the
 * page's first localStorage access (which the popup makes anyway to pick its tab), it spares the
 * IndexedDB open and read that otherwise come before the first codes. The records stay as sealed
 * as in the database (AES-GCM under the data key, which stays in storage.session); a lock leaves
 * them unreadable here as there. The copy is used only while it carries the revision the worker
 * sets around each write (src/background/records-revision.ts); Vault.read() checks that every
 * record opens, and reads the database otherwise.
 */
import type { RecordsCopy } from '../vault/vault';
import { isEntryRecord } from '../vault/store';
import { decodeBase64, encodeBase64 } from '../vault/import/encoding';

export const RECORDS_COPY_KEY = 'revoke:sealed-records';

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
/** As stored: the revision, then each record as [id, iv, ciphertext] with the bytes in base64. */
type Stored = { revision: string; records: [string, string, string][] };

function parse(text: string | null): Stored | null {
  try {
    const v = JSON.parse(text ?? 'null') as Partial<Stored> | null;
    return v && typeof v.revision === 'string' && Array.isArray(v.records) ? (v as Stored) : null;
  } catch {
    return null;
  }
}

// Native where the browser has it (Chromium 140, Firefox 133): the JavaScript decoder took 10 to
// 20 ms for 200 records as the popup opened, longer than the decryption.
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array }).fromBase64;
function fromBase64(text: string): Uint8Array | null {
  if (!nativeFromBase64) return decodeBase64(text);
  try {
    return nativeFromBase64(text);
  } catch {
    return null;
  }
}

/** The stored records, or null when any is not a record's shape. */
function decode(rows: unknown[]): unknown[] | null {
  try {
    const records = rows.map((row) => {
      const [id, iv, ciphertext] = row as [string, string, string];
      return { id, iv: fromBase64(iv), ciphertext: fromBase64(ciphertext) };
    });
    return records.every(isEntryRecord) ? records : null;
  } catch {
    return null;
  }
}

function encode(revision: string, records: unknown[]): string | null {
  if (!records.every(isEntryRecord)) return null;
  return JSON.stringify({ revision, records: records.map((r) => [r.id, encodeBase64(r.iv), encodeBase64(r.ciphertext)]) } satisfies Stored);
}

/** Drops the copy: a page that made the worker re-encrypt the records does not leave the old ones here. */
export function dropRecordsCopy(store: Pick<Storage, 'removeItem'> = localStorage): void {
  store.removeItem(RECORDS_COPY_KEY);
}

export function localRecordsCopy(currentRevision: () => Promise<string | null>, store: Store = localStorage): RecordsCopy {
  const drop = () => dropRecordsCopy(store);
  return {
    async open() {
      // Read before the database is: records read after it are at least as new as this revision.
      const revision = await currentRevision();
      const stored = parse(store.getItem(RECORDS_COPY_KEY));
      const records = revision !== null && stored?.revision === revision ? decode(stored.records) : null;
      return {
        records,
        store(fromDb) {
          const text = fromDb && revision !== null ? encode(revision, fromDb) : null;
          try {
            if (text) store.setItem(RECORDS_COPY_KEY, text);
            else drop();
          } catch {
            // Over the storage quota: no copy; the database is read each time, as without one.
            drop();
          }
        },
      };
    },
  };
}
