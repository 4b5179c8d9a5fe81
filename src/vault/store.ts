/**
 * The vault's IndexedDB database: schema, upgrades and raw records. Nothing here decrypts.
 * Records are checked for shape on the way out, because anything on disk may have been altered.
 *
 * Stores:
 *   meta     one record under the key 'header': format, KDF parameters, wrapped data key, createdAt.
 *   entries  keyPath 'id'; each value is exactly { id, iv, ciphertext }: nothing else in plaintext.
 *
 * Every byte array written here must own its whole ArrayBuffer (fresh from WebCrypto or
 * getRandomValues): IndexedDB stores a view's entire buffer, not just the viewed bytes.
 */
import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import { DATA_KEY_BYTES, GCM_TAG_BYTES, IV_BYTES, SALT_BYTES, type Bytes, type KdfParams, type Sealed } from './crypto';

export const DEFAULT_DB_NAME = 'revoke';
/** The IndexedDB schema version (object stores and keys), not the record format. */
export const DB_VERSION = 1;
/** The record format (header layout, AAD strings, entry payload); a newer one is refused, not guessed at. */
export const VAULT_FORMAT = 1;
/**
 * Upper bound accepted from a stored header: a header altered to ask for billions of iterations
 * would otherwise hang every unlock. Far above any default we would choose.
 */
export const MAX_KDF_ITERATIONS = 20_000_000;

const HEADER_KEY = 'header';

export interface VaultHeader {
  format: number;
  kdf: KdfParams;
  wrappedKey: Sealed;
  createdAt: number;
}

/** An entry at rest: only the id is readable. */
export interface EntryRecord extends Sealed {
  id: string;
}

interface VaultSchema extends DBSchema {
  meta: { key: string; value: VaultHeader };
  entries: { key: string; value: EntryRecord };
}

export type VaultDb = IDBPDatabase<VaultSchema>;

/**
 * Each step takes the schema from one version to the next, so a database of any older version
 * is brought up to date by running the steps after it. (`if` rather than a falling-through
 * `switch`: tsconfig's noFallthroughCasesInSwitch forbids the latter.)
 */
function upgrade(db: VaultDb, oldVersion: number): void {
  if (oldVersion < 1) {
    db.createObjectStore('meta');
    db.createObjectStore('entries', { keyPath: 'id' });
  }
}

/**
 * Opens (creating or upgrading) the vault database. When another page opens a newer schema
 * version, this connection closes itself so the upgrade can proceed; holders of the connection
 * should listen for 'versionchange' and 'close' and reopen.
 * Needs the IndexedDB globals (IDBDatabase, ...) that idb checks against: browsers and service
 * workers have them; in Node, import 'fake-indexeddb/auto'.
 */
export async function openVaultDb(name: string = DEFAULT_DB_NAME, factory: IDBFactory = globalThis.indexedDB): Promise<VaultDb> {
  const request = factory.open(name, DB_VERSION);
  request.addEventListener('upgradeneeded', (event) => upgrade(wrap(request.result) as VaultDb, event.oldVersion));
  const db = (await wrap(request)) as VaultDb;
  db.addEventListener('versionchange', () => db.close());
  return db;
}

// ---- Shape checks -------------------------------------------------------------------------

const isBytes = (v: unknown, length?: number): v is Bytes =>
  v instanceof Uint8Array && (length === undefined || v.length === length);

const isRecordObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export type HeaderCheck = { ok: true; header: VaultHeader } | { ok: false; problem: string };

/** Whether a stored header can be used, and if not, why (for the 'corrupt' error). */
export function checkHeader(value: unknown): HeaderCheck {
  const bad = (problem: string): HeaderCheck => ({ ok: false, problem });
  if (!isRecordObject(value)) return bad('the vault header is not an object');
  if (typeof value.format !== 'number') return bad('the vault header has no format version');
  if (value.format > VAULT_FORMAT) return bad(`the vault was written by a newer version of Revoke (format ${value.format})`);
  if (value.format !== VAULT_FORMAT) return bad(`unknown vault format ${value.format}`);
  const kdf = value.kdf;
  if (!isRecordObject(kdf) || kdf.name !== 'PBKDF2' || kdf.hash !== 'SHA-256') return bad('unknown key derivation');
  const { iterations } = kdf;
  if (typeof iterations !== 'number' || !Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_KDF_ITERATIONS) {
    return bad('implausible key derivation iteration count');
  }
  if (!isBytes(kdf.salt) || kdf.salt.length < SALT_BYTES) return bad('missing or short salt');
  const wrapped = value.wrappedKey;
  if (!isRecordObject(wrapped) || !isBytes(wrapped.iv, IV_BYTES) || !isBytes(wrapped.ciphertext, DATA_KEY_BYTES + GCM_TAG_BYTES)) {
    return bad('malformed wrapped key');
  }
  if (typeof value.createdAt !== 'number' || !Number.isFinite(value.createdAt)) return bad('missing creation time');
  return { ok: true, header: value as unknown as VaultHeader };
}

/** An entry record's shape (not its content, which only decryption can vouch for). */
export function isEntryRecord(value: unknown): value is EntryRecord {
  return (
    isRecordObject(value) &&
    typeof value.id === 'string' &&
    isBytes(value.iv, IV_BYTES) &&
    isBytes(value.ciphertext) &&
    value.ciphertext.length >= GCM_TAG_BYTES
  );
}

// ---- Reads: values come back unchecked (`unknown`); callers check them --------------------

export async function readHeader(db: VaultDb): Promise<unknown> {
  return db.get('meta', HEADER_KEY);
}

/** The header and every entry record, from one consistent snapshot. */
export async function readEverything(db: VaultDb): Promise<{ header: unknown; records: unknown[] }> {
  const tx = db.transaction(['meta', 'entries'], 'readonly');
  const [header, records] = await Promise.all([
    tx.objectStore('meta').get(HEADER_KEY),
    tx.objectStore('entries').getAll(),
    tx.done,
  ]);
  return { header, records };
}

/** The header and one entry record (undefined when absent), from one snapshot. */
export async function readOne(db: VaultDb, id: string): Promise<{ header: unknown; record: unknown }> {
  const tx = db.transaction(['meta', 'entries'], 'readonly');
  const [header, record] = await Promise.all([
    tx.objectStore('meta').get(HEADER_KEY),
    tx.objectStore('entries').get(id),
    tx.done,
  ]);
  return { header, record };
}

// ---- Writes ------------------------------------------------------------------------------

/** Writes the header of a new vault and empties `entries`, unless a header exists. False if it did. */
export async function createVaultRecords(db: VaultDb, header: VaultHeader): Promise<boolean> {
  const tx = db.transaction(['meta', 'entries'], 'readwrite');
  if ((await tx.objectStore('meta').get(HEADER_KEY)) !== undefined) {
    tx.abort();
    await tx.done.catch(() => undefined);
    return false;
  }
  // Records left without a header (from a vault whose key is gone) could never be read again.
  await Promise.all([tx.objectStore('entries').clear(), tx.objectStore('meta').put(header, HEADER_KEY), tx.done]);
  return true;
}

export async function replaceHeader(db: VaultDb, header: VaultHeader): Promise<void> {
  await db.put('meta', header, HEADER_KEY);
}

export interface EntryChanges {
  /** New records; an existing id fails the whole change. */
  insert?: EntryRecord[];
  /** Records written whether or not they exist. */
  put?: EntryRecord[];
  remove?: string[];
}

/**
 * Applies every change in one transaction: all or nothing. Refuses (returns false, changing
 * nothing) when the vault has no header, so entries are never written under a key that no
 * longer exists. Callers encrypt first: a transaction commits as soon as it sits idle, so it
 * cannot wait for WebCrypto.
 */
export async function commitEntries(db: VaultDb, changes: EntryChanges): Promise<boolean> {
  const tx = db.transaction(['meta', 'entries'], 'readwrite');
  if ((await tx.objectStore('meta').get(HEADER_KEY)) === undefined) {
    tx.abort();
    await tx.done.catch(() => undefined);
    return false;
  }
  const entries = tx.objectStore('entries');
  await Promise.all([
    ...(changes.insert ?? []).map((r) => entries.add(r)),
    ...(changes.put ?? []).map((r) => entries.put(r)),
    ...(changes.remove ?? []).map((id) => entries.delete(id)),
    tx.done,
  ]);
  return true;
}

/** What a re-key read, and what it writes instead. Records not listed in `replace` are left as they are. */
export interface Rekey {
  /** The header and the records as read before encrypting: the write goes ahead only if nothing changed since. */
  expected: { header: VaultHeader; records: readonly unknown[] };
  header: VaultHeader;
  replace: EntryRecord[];
}

/**
 * Writes a new header and re-encrypted records in one transaction, so an interruption leaves the
 * old state or the new one, never entries under a key no header wraps. Returns false, writing
 * nothing, when the stored header or records differ from `expected` (someone wrote in between).
 */
export async function rekeyVaultRecords(db: VaultDb, rekey: Rekey): Promise<boolean> {
  const tx = db.transaction(['meta', 'entries'], 'readwrite');
  const meta = tx.objectStore('meta');
  const entries = tx.objectStore('entries');
  const writes: Promise<unknown>[] = [];
  try {
    const [header, records] = await Promise.all([meta.get(HEADER_KEY), entries.getAll()]);
    if (!unchanged(header, records, rekey.expected)) {
      tx.abort();
      await tx.done.catch(() => undefined);
      return false;
    }
    writes.push(meta.put(rekey.header, HEADER_KEY));
    for (const record of rekey.replace) writes.push(entries.put(record));
    await Promise.all(writes);
    await tx.done;
    return true;
  } catch (e) {
    // A put that throws does not abort the transaction by itself: the puts before it would commit.
    try {
      tx.abort();
    } catch {
      // Already finished or aborted.
    }
    await Promise.allSettled([...writes, tx.done]);
    throw e;
  }
}

/** Same header (by its wrapped key) and same records (by id and IV: every write draws a fresh IV). */
function unchanged(header: unknown, records: unknown[], expected: Rekey['expected']): boolean {
  const wrapped = (header as VaultHeader | undefined)?.wrappedKey;
  if (!wrapped || !isBytes(wrapped.iv) || !sameBytes(wrapped.iv, expected.header.wrappedKey.iv)) return false;
  if (records.length !== expected.records.length) return false;
  const ivs = new Map(expected.records.map((r) => [recordId(r), recordIv(r)]));
  return records.every((r) => {
    const id = recordId(r);
    if (!ivs.has(id)) return false;
    const [before, now] = [ivs.get(id), recordIv(r)];
    return before === now || (before !== null && now !== null && before !== undefined && sameBytes(before, now));
  });
}

const recordId = (r: unknown): unknown => (isRecordObject(r) ? r.id : undefined);
const recordIv = (r: unknown): Uint8Array | null => (isRecordObject(r) && isBytes(r.iv) ? r.iv : null);
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i]);

/** Deletes the header and every entry. */
export async function clearVaultRecords(db: VaultDb): Promise<void> {
  const tx = db.transaction(['meta', 'entries'], 'readwrite');
  await Promise.all([tx.objectStore('meta').clear(), tx.objectStore('entries').clear(), tx.done]);
}
