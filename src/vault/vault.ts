/**
 * The authenticator's vault. Each entry is encrypted on its own with a random data key
 * (AES-256-GCM, AAD naming the entry's id); the data key is wrapped by a key derived from the
 * password (PBKDF2-HMAC-SHA256). Changing the password re-wraps the data key, or on request
 * re-encrypts every entry under a new one.
 *
 * While unlocked, the raw data key lives only in the injected KeyCache (in the extension:
 * storage.session, memory that dies with the browser), so a restarted service worker is still
 * unlocked. Everything else is read from IndexedDB on demand: this object keeps no entries.
 *
 * No browser-extension API or UI in here; storage, cache, clock and ids are passed in.
 */
import {
  DATA_KEY_BYTES, PBKDF2_MIN_ITERATIONS, decryptJson, deriveKek, encryptJson, generateDataKey, importDataKey,
  entryAad, isAuthFailure, newKdfParams, unwrapDataKey, wrapDataKey, type Bytes,
} from './crypto';
import {
  VAULT_FORMAT, checkHeader, clearVaultRecords, commitEntries, createVaultRecords, isEntryRecord,
  openVaultDb, readEverything, readHeader, readOne, rekeyVaultRecords, replaceHeader,
  type EntryChanges, type EntryRecord, type VaultDb, type VaultHeader,
} from './store';
import { INPUT_KEYS, checkEntry, checkEntryInput, checkNewPassword, compareEntries, isObject } from './entry-check';
import { VaultError, invalid } from './errors';
import { say } from '../i18n/t';
import { reencryptRecords } from './rekey';
import type { EntryInput, OtpEntry, PasswordChange } from './types';

export { MIN_PASSWORD_LENGTH, checkEntry, checkEntryInput, compareEntries } from './entry-check';
export { VaultError, type VaultErrorCode } from './errors';
export { entryAad } from './crypto';

// ---- Key cache -----------------------------------------------------------------------------

/** Where the raw data key is kept while unlocked. Values handed in and out may be copies. */
export interface KeyCache {
  get(): Promise<Uint8Array | null>;
  set(raw: Uint8Array): Promise<void>;
  clear(): Promise<void>;
}

/** A KeyCache in this JavaScript context's memory, for tests (and anything without storage.session). */
export function memoryKeyCache(): KeyCache {
  let held: Uint8Array | null = null;
  return {
    get: async () => (held ? held.slice() : null),
    set: async (raw) => {
      held = raw.slice();
    },
    clear: async () => {
      held = null;
    },
  };
}



// ---- The vault -----------------------------------------------------------------------------

export type VaultState = 'uninitialized' | 'locked' | 'unlocked';

export interface VaultList {
  /** Every readable entry, pinned first, then by position. */
  entries: OtpEntry[];
  /** Ids of records that exist but fail to decrypt or check (tampered or damaged), sorted. */
  corrupt: string[];
}

export interface VaultOptions {
  keyCache: KeyCache;
  /** Opens the database; default `openVaultDb()` (IndexedDB 'revoke'). Called again after the connection is lost. */
  db?: () => Promise<VaultDb>;
  now?: () => number;
  newId?: () => string;
  /**
   * PBKDF2 iterations for new and re-wrapped keys; default and minimum 600,000.
   * Lower values are refused unless `allowWeakKdfForTests` is also true.
   */
  kdfIterations?: number;
  /** Only for tests, where 600,000 iterations per unlock would make suites slow. Never in the extension. */
  allowWeakKdfForTests?: boolean;
}

/** Runs tasks one at a time, so read-modify-write sequences (next position, re-wrap) never interleave. */
function serialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const result = tail.then(task);
    tail = result.catch(() => undefined);
    return result;
  };
}


export class Vault {
  private readonly cache: KeyCache;
  private readonly openDb: () => Promise<VaultDb>;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly iterations: number;
  private readonly serial = serialQueue();
  private connection: Promise<VaultDb> | null = null;
  /** The imported data key; trusted only while the cache still holds a key (checked on every use). */
  private memo: CryptoKey | null = null;

  constructor(options: VaultOptions) {
    const iterations = options.kdfIterations ?? PBKDF2_MIN_ITERATIONS;
    if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError(`Invalid kdfIterations: ${iterations}`);
    if (iterations < PBKDF2_MIN_ITERATIONS && options.allowWeakKdfForTests !== true) {
      throw new RangeError(`kdfIterations below ${PBKDF2_MIN_ITERATIONS} is allowed only with allowWeakKdfForTests.`);
    }
    this.iterations = iterations;
    this.cache = options.keyCache;
    this.openDb = options.db ?? (() => openVaultDb());
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? (() => globalThis.crypto.randomUUID());
  }

  // -- State and password --

  async status(): Promise<VaultState> {
    if ((await readHeader(await this.db())) === undefined) return 'uninitialized';
    return (await this.cachedKey()) ? 'unlocked' : 'locked';
  }

  /** Creates the vault and leaves it unlocked. */
  setup(password: string): Promise<void> {
    return this.serial(async () => {
      checkNewPassword(password);
      const db = await this.db();
      // Checked again inside the writing transaction; this only spares a pointless key derivation.
      if ((await readHeader(db)) !== undefined) throw alreadyInitialized();
      const raw = generateDataKey();
      if (!(await createVaultRecords(db, await this.wrapHeader(password, raw, this.now())))) throw alreadyInitialized();
      await this.remember(raw);
    });
  }

  /**
   * Unlocks; a wrong password changes nothing. A vault wrapped with fewer iterations than this
   * Vault is configured for is re-wrapped with the current count (one more derivation, once).
   */
  unlock(password: string): Promise<void> {
    return this.serial(async () => {
      const db = await this.db();
      const header = await this.requireHeader(db);
      const raw = await this.unwrap(password, header);
      if (header.kdf.iterations < this.iterations) {
        await replaceHeader(db, await this.wrapHeader(password, raw, header.createdAt));
      }
      await this.remember(raw);
    });
  }

  /** Forgets the data key. Harmless when already locked or uninitialized. */
  lock(): Promise<void> {
    return this.serial(async () => {
      this.memo = null;
      await this.cache.clear();
    });
  }

  /**
   * Needs unlocked. By default re-wraps the data key under the new password and leaves entry
   * records alone. With `newDataKey`, every entry is re-encrypted under a fresh data key, so an
   * old copy of the header (with the old password) opens nothing written before or after; see rekey.
   */
  changePassword(oldPassword: string, newPassword: string, options: { newDataKey?: boolean } = {}): Promise<PasswordChange> {
    return this.serial(async () => {
      await this.dataKey();
      checkNewPassword(newPassword);
      const db = await this.db();
      if (options.newDataKey === true) return this.rekey(db, oldPassword, newPassword);
      const header = await this.requireHeader(db);
      const raw = await this.unwrap(oldPassword, header);
      await replaceHeader(db, await this.wrapHeader(newPassword, raw, header.createdAt));
      await this.remember(raw);
      return { reencrypted: null, keptDamaged: [] };
    });
  }

  /** Deletes the whole vault (header and entries) and locks. Works in any state: it is the way out of a forgotten password. */
  erase(): Promise<void> {
    return this.serial(async () => {
      await clearVaultRecords(await this.db());
      this.memo = null;
      await this.cache.clear();
    });
  }

  /** Closes the database connection (it reopens on next use). For tests and orderly shutdown. */
  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    if (connection) (await connection.catch(() => null))?.close();
  }

  // -- Reading --

  /** All entries, with the ids of records that could not be read (the readable ones are still returned). */
  async list(): Promise<VaultList> {
    const key = await this.dataKey();
    return this.readAll(key);
  }

  /**
   * The state and, when unlocked, every entry, with the key and the records read side by side
   * and once (what a page shows first: status() then list() reads each twice, one after the other).
   */
  async read(): Promise<{ state: 'uninitialized' | 'locked' } | { state: 'unlocked'; list: VaultList }> {
    const [raw, { header, records }] = await Promise.all([this.cachedKey(), this.db().then(readEverything)]);
    if (header === undefined) return { state: 'uninitialized' };
    if (!raw) {
      this.memo = null;
      return { state: 'locked' };
    }
    this.memo ??= await importDataKey(raw);
    return { state: 'unlocked', list: await this.openAll(this.memo, records) };
  }

  async get(id: string): Promise<OtpEntry> {
    return this.load(await this.dataKey(), id);
  }

  // -- Writing: each runs alone (see serialQueue), encrypts first, then commits in one transaction --

  add(input: EntryInput): Promise<OtpEntry> {
    return this.addMany([input]).then(([entry]) => entry!);
  }

  /** Adds all or none: one invalid input, or any storage failure, and nothing is stored. Appended in order. */
  addMany(inputs: EntryInput[]): Promise<OtpEntry[]> {
    return this.serial(async () => {
      const key = await this.dataKey();
      if (!Array.isArray(inputs)) invalid('Expected a list of entries.');
      const checked = inputs.map((input, i) => {
        try {
          return checkEntryInput(input);
        } catch (e) {
          if (inputs.length > 1 && e instanceof VaultError) {
            // Only a refusal with words of its own reaches a person (entry-check.ts); the rest stay English for the log.
            throw new VaultError(e.code, `Entry ${i + 1}: ${e.message}`, e.said && { key: 'words_entryNumbered', subs: [i + 1, say(e.said)] });
          }
          throw e;
        }
      });
      if (checked.length === 0) return [];
      let position = nextPosition((await this.readAll(key)).entries);
      const now = this.now();
      const created: OtpEntry[] = checked.map((input) => ({
        ...input, id: this.newId(), pinned: false, position: position++, createdAt: now, updatedAt: now,
      }));
      await this.commit({ insert: await Promise.all(created.map((e) => this.seal(key, e))) });
      return created;
    });
  }

  /** Changes input fields and/or `pinned`; the merged entry is checked as a whole. Position is kept. */
  update(id: string, patch: Partial<EntryInput & { pinned: boolean }>): Promise<OtpEntry> {
    return this.serial(async () => {
      const key = await this.dataKey();
      const current = await this.load(key, id);
      if (!isObject(patch)) invalid('Expected the fields to change.');
      const merged: Record<string, unknown> = { ...current };
      for (const field of INPUT_KEYS) if (patch[field] !== undefined) merged[field] = patch[field];
      if (patch.pinned !== undefined) merged.pinned = patch.pinned;
      const updated = checkEntry({ ...merged, updatedAt: this.now() });
      await this.commit({ put: [await this.seal(key, updated)] });
      return updated;
    });
  }

  /** Deletes an entry and returns it, so that `restore` can undo. */
  remove(id: string): Promise<OtpEntry> {
    return this.removeMany([id]).then(([entry]) => entry!);
  }

  /**
   * Deletes every listed entry in one transaction and returns them, so that `restoreMany` can undo.
   * All or none: if one is missing or unreadable, nothing is deleted and the error names why.
   */
  removeMany(ids: readonly string[]): Promise<OtpEntry[]> {
    return this.serial(async () => {
      if (!Array.isArray(ids)) invalid('Expected a list of entries to delete.');
      const key = await this.dataKey();
      const entries: OtpEntry[] = [];
      for (const id of new Set(ids)) entries.push(await this.load(key, id));
      if (entries.length > 0) await this.commit({ remove: entries.map((e) => e.id) });
      return entries;
    });
  }

  /** Undo of `remove`: puts the entry back as it was (same id, position, times). */
  restore(entry: OtpEntry): Promise<void> {
    return this.restoreMany([entry]);
  }

  /** Undo of `removeMany`: every entry back as it was, in one transaction; one invalid entry and none is written. */
  restoreMany(entries: readonly OtpEntry[]): Promise<void> {
    return this.serial(async () => {
      if (!Array.isArray(entries)) invalid('Expected a list of entries to restore.');
      const key = await this.dataKey();
      const checked = entries.map((e) => checkEntry(e));
      if (checked.length > 0) await this.commit({ put: await Promise.all(checked.map((e) => this.seal(key, e))) });
    });
  }

  /**
   * Moves an entry to `toIndex` in the order `list()` returns. It stays in its group (pinned or
   * not): an index beyond the group's edge means the edge. Positions are renumbered 0..n-1 and
   * only records whose position changed are rewritten. updatedAt is left alone: the entry did not change.
   */
  move(id: string, toIndex: number): Promise<void> {
    return this.serial(async () => {
      const key = await this.dataKey();
      if (!Number.isInteger(toIndex)) invalid('The new place must be a whole number.');
      const { entries } = await this.readAll(key);
      const from = entries.findIndex((e) => e.id === id);
      if (from < 0) throw await this.whyUnreadable(id);
      const moving = entries[from]!;
      const groupStart = entries.findIndex((e) => e.pinned === moving.pinned);
      const groupEnd = groupStart + entries.filter((e) => e.pinned === moving.pinned).length - 1;
      const order = entries.filter((e) => e !== moving);
      order.splice(Math.min(Math.max(toIndex, groupStart), groupEnd), 0, moving);
      const changed = order.flatMap((e, position) => (e.position === position ? [] : [{ ...e, position }]));
      if (changed.length > 0) await this.commit({ put: await Promise.all(changed.map((e) => this.seal(key, e))) });
    });
  }

  /** HOTP: the code at `counter` was used; move on to the next one. */
  advanceCounter(id: string): Promise<OtpEntry> {
    return this.serial(async () => {
      const key = await this.dataKey();
      const current = await this.load(key, id);
      if (current.type !== 'hotp') invalid('Only counter-based (HOTP) entries have a counter.');
      const updated = checkEntry({ ...current, counter: current.counter + 1, updatedAt: this.now() });
      await this.commit({ put: [await this.seal(key, updated)] });
      return updated;
    });
  }

  /**
   * Deletes a record listed in `corrupt`. Refuses records that decrypt fine ('invalid-input':
   * use `remove`), so a glitch cannot turn this into deleting a good entry.
   */
  discardCorrupt(id: string): Promise<void> {
    return this.serial(async () => {
      const key = await this.dataKey();
      const { record } = await readOne(await this.db(), requireId(id));
      if (record === undefined) throw notFound();
      if ((await this.open(key, record)) !== null) invalid('That entry is readable; remove it instead.');
      await this.commit({ remove: [id] });
    });
  }

  // -- Internals --

  private db(): Promise<VaultDb> {
    if (!this.connection) {
      const opening = this.openDb().then((db) => {
        // Closed for a newer schema version elsewhere, or by the browser: reopen on next use.
        const forget = () => {
          if (this.connection === opening) this.connection = null;
        };
        db.addEventListener('versionchange', forget);
        db.addEventListener('close', forget);
        return db;
      });
      // A failed open is not remembered: the next call tries again.
      opening.catch(() => {
        if (this.connection === opening) this.connection = null;
      });
      this.connection = opening;
    }
    return this.connection;
  }

  /** The cached raw key, or null; a value of the wrong size is not a key and is dropped. */
  private async cachedKey(): Promise<Uint8Array | null> {
    const raw = await this.cache.get();
    if (raw && raw.length === DATA_KEY_BYTES) return raw;
    if (raw) await this.cache.clear();
    return null;
  }

  /** The data key, or 'locked' / 'not-initialized'. The cache is asked every time: another lock may have cleared it. */
  private async dataKey(): Promise<CryptoKey> {
    const raw = await this.cachedKey();
    if (!raw) {
      this.memo = null;
      throw (await readHeader(await this.db())) === undefined ? notInitialized() : new VaultError('locked', 'The vault is locked.', { key: 'vault_locked' });
    }
    this.memo ??= await importDataKey(raw);
    return this.memo;
  }

  private async remember(raw: Bytes): Promise<void> {
    this.memo = null;
    await this.cache.set(raw);
  }

  private async requireHeader(db: VaultDb): Promise<VaultHeader> {
    const stored = await readHeader(db);
    if (stored === undefined) throw notInitialized();
    const check = checkHeader(stored);
    if (!check.ok) throw damagedHeader(check.problem);
    return check.header;
  }

  /**
   * Re-encrypts every entry under a new data key (see rekey.ts for what happens to damaged
   * records) and writes them with the new header in one transaction: all or nothing.
   */
  private async rekey(db: VaultDb, oldPassword: string, newPassword: string): Promise<PasswordChange> {
    const { header: stored, records } = await readEverything(db);
    if (stored === undefined) throw notInitialized();
    const check = checkHeader(stored);
    if (!check.ok) throw damagedHeader(check.problem);
    const oldRaw = await this.unwrap(oldPassword, check.header);
    const newRaw = generateDataKey();
    const { replace, keptDamaged } = await reencryptRecords(records, await importDataKey(oldRaw), await importDataKey(newRaw));
    const header = await this.wrapHeader(newPassword, newRaw, check.header.createdAt);

    // Locked during the switch: a worker stopped between the commit and the cache update must
    // not wake holding the old key, under which every re-encrypted entry would read as damaged.
    this.memo = null;
    await this.cache.clear();
    let written: boolean;
    try {
      written = await rekeyVaultRecords(db, { expected: { header: check.header, records }, header, replace });
    } catch (e) {
      await this.remember(oldRaw);
      throw e;
    }
    if (!written) {
      await this.remember(oldRaw);
      throw new VaultError('conflict', 'The vault changed while it was being re-encrypted. Nothing was changed; try again.', { key: 'words_rekeyClash' });
    }
    await this.remember(newRaw);
    return { reencrypted: replace.length, keptDamaged };
  }

  private async wrapHeader(password: string, raw: Bytes, createdAt: number): Promise<VaultHeader> {
    const kdf = newKdfParams(this.iterations);
    const wrappedKey = await wrapDataKey(await deriveKek(password, kdf), raw);
    return { format: VAULT_FORMAT, kdf, wrappedKey, createdAt };
  }

  /** GCM authentication failure on the wrapped key is the only sign of a wrong password. */
  private async unwrap(password: string, header: VaultHeader): Promise<Bytes> {
    if (typeof password !== 'string') throw wrongPassword();
    const kek = await deriveKek(password, header.kdf);
    try {
      return await unwrapDataKey(kek, header.wrappedKey);
    } catch (e) {
      throw isAuthFailure(e) ? wrongPassword() : e;
    }
  }

  private seal(key: CryptoKey, entry: OtpEntry): Promise<EntryRecord> {
    // The id travels in the clear as the record key, and inside the AAD; the payload is the rest.
    const { id, ...payload } = entry;
    return encryptJson(key, payload, entryAad(id)).then(({ iv, ciphertext }) => ({ id, iv, ciphertext }));
  }

  /** The entry in a record, or null when the record is damaged, tampered with, or not an entry. */
  private async open(key: CryptoKey, record: unknown): Promise<OtpEntry | null> {
    if (!isEntryRecord(record)) return null;
    try {
      const payload = await decryptJson(key, record, entryAad(record.id));
      return isObject(payload) ? checkEntry({ ...payload, id: record.id }) : null;
    } catch (e) {
      if (isAuthFailure(e) || e instanceof SyntaxError || e instanceof TypeError || e instanceof VaultError) return null;
      throw e;
    }
  }

  private async readAll(key: CryptoKey): Promise<VaultList> {
    const { header, records } = await readEverything(await this.db());
    if (header === undefined) throw notInitialized();
    return this.openAll(key, records);
  }

  private async openAll(key: CryptoKey, records: unknown[]): Promise<VaultList> {
    const opened = await Promise.all(records.map((r) => this.open(key, r)));
    const entries: OtpEntry[] = [];
    const corrupt: string[] = [];
    opened.forEach((entry, i) => {
      if (entry) entries.push(entry);
      else corrupt.push(String((records[i] as { id?: unknown } | null)?.id));
    });
    return { entries: entries.sort(compareEntries), corrupt: corrupt.sort() };
  }

  private async load(key: CryptoKey, id: string): Promise<OtpEntry> {
    const { header, record } = await readOne(await this.db(), requireId(id));
    if (header === undefined) throw notInitialized();
    if (record === undefined) throw notFound();
    const entry = await this.open(key, record);
    if (!entry) throw corruptEntry();
    return entry;
  }

  private async whyUnreadable(id: string): Promise<VaultError> {
    const { record } = await readOne(await this.db(), requireId(id));
    return record === undefined ? notFound() : corruptEntry();
  }

  private async commit(changes: EntryChanges): Promise<void> {
    if (!(await commitEntries(await this.db(), changes))) throw notInitialized();
  }
}

function nextPosition(entries: readonly OtpEntry[]): number {
  return entries.reduce((max, e) => Math.max(max, e.position + 1), 0);
}

function requireId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0) return invalid('An entry id is required.');
  return id;
}

/** The detail (which field) stays in the English message for a bug report; the person reads that the vault is damaged. */
const damagedHeader = (problem: string) =>
  new VaultError('corrupt', `The vault cannot be opened: ${problem}.`, { key: 'vaultErr_damaged' });
const notInitialized = () => new VaultError('not-initialized', 'There is no vault yet: choose a password first.', { key: 'vault_notInitialized' });
const alreadyInitialized = () => new VaultError('already-initialized', 'The vault already exists.', { key: 'vault_alreadyInitialized' });
const wrongPassword = () => new VaultError('wrong-password', 'Wrong password.', { key: 'vault_wrongPassword' });
const notFound = () => new VaultError('not-found', 'That entry no longer exists.', { key: 'vault_notFound' });
const corruptEntry = () =>
  new VaultError('corrupt', 'That entry is damaged and cannot be decrypted; it can only be discarded.', { key: 'vault_corruptEntry' });
