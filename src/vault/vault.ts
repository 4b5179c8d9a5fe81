/**
 * The authenticator's vault: setting it up, unlocking and locking, and the entries, read and
 * written one operation at a time. How the pieces are kept lives beside it:
 *   password.ts        the data key wrapped under the password; password change and re-key
 *   key-cache.ts       where the unlocked data key is held (storage.session in the extension)
 *   sealed-entries.ts  each entry encrypted on its own (AES-256-GCM, AAD naming its id)
 *   store.ts           the IndexedDB records
 * Everything is read from IndexedDB on demand: this object keeps no entries.
 *
 * No browser-extension API or UI in here; storage, cache, clock and ids are passed in.
 */
import { PBKDF2_MIN_ITERATIONS, generateDataKey } from './crypto';
import { INPUT_KEYS, checkEntry, checkEntryInput, checkNewPassword, isObject } from './entry-check';
import { VaultError, alreadyInitialized, corruptEntry, invalid, locked, notFound, notInitialized } from './errors';
import { HeldKey, type KeyCache } from './key-cache';
import { rekeyVault, requireHeader, unwrapHeader, wrapHeader } from './password';
import { openAll, openEntry, sealEntry } from './sealed-entries';
import {
  clearVaultRecords, commitEntries, createVaultRecords, openVaultDb, readEverything, readHeader, readOne, replaceHeader,
  type EntryChanges, type VaultDb,
} from './store';
import { sharedConnection, type SharedConnection } from '../lib/idb-connection';
import { serialQueue } from '../lib/serial-queue';
import { say } from '../i18n/t';
import type { EntryInput, OtpEntry, PasswordChange, VaultList } from './types';

export { MIN_PASSWORD_LENGTH, checkEntry, checkEntryInput, compareEntries } from './entry-check';
export { VaultError, type VaultErrorCode } from './errors';
export { entryAad } from './crypto';
export { memoryKeyCache, type KeyCache } from './key-cache';
export type { VaultList } from './types';

export type VaultState = 'uninitialized' | 'locked' | 'unlocked';

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
  /**
   * The writer's side of a RecordsCopy: marks every copy of the records out of date. Called before
   * and after each write of records (so a copy taken while one is under way is not trusted either),
   * and at unlock (so there is a revision to label a copy with after the browser restarts).
   */
  recordsChanged?: () => Promise<void>;
  /** The reader's side: a copy of the sealed records that opens faster than the database (see RecordsCopy). */
  copy?: RecordsCopy;
}

/**
 * A copy of the sealed records (encrypted as in the database) kept where a page reads it faster
 * than IndexedDB. `open()` answers with the records only when the copy is as current as the
 * database (else null), and with `store`, which takes the records the reader then reads from the
 * database, or null to drop the copy.
 */
export interface RecordsCopy {
  open(): Promise<{ records: unknown[] | null; store: (records: unknown[] | null) => void }>;
}

/** What read() uses when there is no copy: nothing to read, nothing to keep. */
const NO_COPY: Awaited<ReturnType<RecordsCopy['open']>> = { records: null, store: () => undefined };

export class Vault {
  private readonly key: HeldKey;
  private readonly connection: SharedConnection<VaultDb>;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly iterations: number;
  /** Read-modify-write sequences (next position, re-wrap) never interleave. */
  private readonly serial = serialQueue();
  private readonly recordsChanged: () => Promise<void>;
  private readonly copy: RecordsCopy | null;

  constructor(options: VaultOptions) {
    const iterations = options.kdfIterations ?? PBKDF2_MIN_ITERATIONS;
    if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError(`Invalid kdfIterations: ${iterations}`);
    if (iterations < PBKDF2_MIN_ITERATIONS && options.allowWeakKdfForTests !== true) {
      throw new RangeError(`kdfIterations below ${PBKDF2_MIN_ITERATIONS} is allowed only with allowWeakKdfForTests.`);
    }
    this.iterations = iterations;
    this.key = new HeldKey(options.keyCache);
    this.connection = sharedConnection(options.db ?? (() => openVaultDb()));
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? (() => globalThis.crypto.randomUUID());
    this.recordsChanged = options.recordsChanged ?? (async () => undefined);
    this.copy = options.copy ?? null;
  }

  // -- State and password --

  async status(): Promise<VaultState> {
    if ((await readHeader(await this.db())) === undefined) return 'uninitialized';
    return (await this.key.raw()) ? 'unlocked' : 'locked';
  }

  /** Creates the vault and leaves it unlocked. */
  setup(password: string): Promise<void> {
    return this.serial(async () => {
      checkNewPassword(password);
      const db = await this.db();
      // Checked again inside the writing transaction; this only spares a pointless key derivation.
      if ((await readHeader(db)) !== undefined) throw alreadyInitialized();
      const raw = generateDataKey();
      const header = await wrapHeader(password, raw, this.now(), this.iterations);
      await this.writingRecords(async () => {
        if (!(await createVaultRecords(db, header))) throw alreadyInitialized();
      });
      await this.key.remember(raw);
    });
  }

  /**
   * Unlocks; a wrong password changes nothing. A vault wrapped with fewer iterations than this
   * Vault is configured for is re-wrapped with the current count (one more derivation, once).
   */
  unlock(password: string): Promise<void> {
    return this.serial(async () => {
      const db = await this.db();
      const header = await requireHeader(db);
      const raw = await unwrapHeader(password, header);
      if (header.kdf.iterations < this.iterations) {
        await replaceHeader(db, await wrapHeader(password, raw, header.createdAt, this.iterations));
      }
      await this.key.remember(raw);
      await this.recordsChanged();
    });
  }

  /** Forgets the data key. Harmless when already locked or uninitialized. */
  lock(): Promise<void> {
    return this.serial(() => this.key.forget());
  }

  /**
   * Needs unlocked. By default re-wraps the data key under the new password and leaves entry
   * records alone. With `newDataKey`, every entry is re-encrypted under a fresh data key, so an
   * old copy of the header (with the old password) opens nothing written before or after; see rekeyVault.
   */
  changePassword(oldPassword: string, newPassword: string, options: { newDataKey?: boolean } = {}): Promise<PasswordChange> {
    return this.serial(async () => {
      await this.dataKey();
      checkNewPassword(newPassword);
      const db = await this.db();
      if (options.newDataKey === true) return this.writingRecords(() => rekeyVault(db, this.key, { old: oldPassword, new: newPassword }, this.iterations));
      const header = await requireHeader(db);
      const raw = await unwrapHeader(oldPassword, header);
      await replaceHeader(db, await wrapHeader(newPassword, raw, header.createdAt, this.iterations));
      await this.key.remember(raw);
      return { reencrypted: null, keptDamaged: [] };
    });
  }

  /** Deletes the whole vault (header and entries) and locks. Works in any state: it is the way out of a forgotten password. */
  erase(): Promise<void> {
    return this.serial(async () => {
      await this.writingRecords(async () => clearVaultRecords(await this.db()));
      await this.key.forget();
    });
  }

  /** Closes the database connection (it reopens on next use). For tests and orderly shutdown. */
  close(): Promise<void> {
    return this.connection.close();
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
    // Without a copy the database is read beside the key; with one, only when the copy will not do.
    const [raw, copied, stored] = await Promise.all([
      this.key.raw(), this.copy?.open() ?? NO_COPY, this.copy ? null : this.db().then(readEverything),
    ]);
    const key = await this.key.imported(raw);
    // Only records that all open under the key are used from a copy or kept in one: a damaged
    // copy could show sound entries as damaged (and offer to discard them), and a vault with a
    // damaged entry is read from the database until the entry is discarded. Locked, nothing is kept.
    if (copied.records && key) {
      const list = await openAll(key, copied.records);
      if (list.corrupt.length === 0) return { state: 'unlocked', list };
    }
    const { header, records } = stored ?? (await readEverything(await this.db()));
    const list = header !== undefined && key ? await openAll(key, records) : null;
    copied.store(list?.corrupt.length === 0 ? records : null);
    if (header === undefined) return { state: 'uninitialized' };
    if (!list) return { state: 'locked' };
    return { state: 'unlocked', list };
  }

  async get(id: string): Promise<OtpEntry> {
    return this.load(await this.dataKey(), id);
  }

  // -- Writing: each runs alone (see serialQueue), encrypts first, then commits in one transaction --

  add(input: EntryInput): Promise<OtpEntry> {
    return this.addMany([input]).then(([entry]) => entry!);
  }

  /**
   * Adds all or none: one invalid input, or any storage failure, and nothing is stored. Appended in
   * order; `pinned[i]` pins the i-th in the same write (an import keeps its file's pins).
   */
  addMany(inputs: EntryInput[], pinned: readonly boolean[] = []): Promise<OtpEntry[]> {
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
      const created: OtpEntry[] = checked.map((input, i) => ({
        ...input, id: this.newId(), pinned: pinned[i] === true, position: position++, createdAt: now, updatedAt: now,
      }));
      await this.commit({ insert: await Promise.all(created.map((e) => sealEntry(key, e))) });
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
      await this.commit({ put: [await sealEntry(key, updated)] });
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
      if (checked.length > 0) await this.commit({ put: await Promise.all(checked.map((e) => sealEntry(key, e))) });
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
      if (changed.length > 0) await this.commit({ put: await Promise.all(changed.map((e) => sealEntry(key, e))) });
    });
  }

  /** HOTP: the code at `counter` was used; move on to the next one. */
  advanceCounter(id: string): Promise<OtpEntry> {
    return this.serial(async () => {
      const key = await this.dataKey();
      const current = await this.load(key, id);
      if (current.type !== 'hotp') invalid('Only counter-based (HOTP) entries have a counter.');
      const updated = checkEntry({ ...current, counter: current.counter + 1, updatedAt: this.now() });
      await this.commit({ put: [await sealEntry(key, updated)] });
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
      if ((await openEntry(key, record)) !== null) invalid('That entry is readable; remove it instead.');
      await this.commit({ remove: [id] });
    });
  }

  // -- Internals --

  private db(): Promise<VaultDb> {
    return this.connection.get();
  }

  /** The data key, or 'locked' / 'not-initialized'. */
  private async dataKey(): Promise<CryptoKey> {
    const key = await this.key.current();
    if (!key) throw (await readHeader(await this.db())) === undefined ? notInitialized() : locked();
    return key;
  }

  private async readAll(key: CryptoKey): Promise<VaultList> {
    const { header, records } = await readEverything(await this.db());
    if (header === undefined) throw notInitialized();
    return openAll(key, records);
  }

  private async load(key: CryptoKey, id: string): Promise<OtpEntry> {
    const { header, record } = await readOne(await this.db(), requireId(id));
    if (header === undefined) throw notInitialized();
    if (record === undefined) throw notFound();
    const entry = await openEntry(key, record);
    if (!entry) throw corruptEntry();
    return entry;
  }

  private async whyUnreadable(id: string): Promise<VaultError> {
    const { record } = await readOne(await this.db(), requireId(id));
    return record === undefined ? notFound() : corruptEntry();
  }

  private async commit(changes: EntryChanges): Promise<void> {
    const db = await this.db();
    await this.writingRecords(async () => {
      if (!(await commitEntries(db, changes))) throw notInitialized();
    });
  }

  /** A write of records, with every copy marked out of date before and after it (see VaultOptions.recordsChanged). */
  private async writingRecords<T>(write: () => Promise<T>): Promise<T> {
    await this.recordsChanged();
    let result: T;
    try {
      result = await write();
    } catch (e) {
      // The write's own error is the one to report, whatever becomes of the marking.
      await this.recordsChanged().catch(() => undefined);
      throw e;
    }
    await this.recordsChanged();
    return result;
  }


}

function nextPosition(entries: readonly OtpEntry[]): number {
  return entries.reduce((max, e) => Math.max(max, e.position + 1), 0);
}

function requireId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0) return invalid('An entry id is required.');
  return id;
}
