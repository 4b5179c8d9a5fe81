/**
 * The authenticator's vault. Each entry is encrypted on its own with a random data key
 * (AES-256-GCM, AAD naming the entry's id); the data key is wrapped by a key derived from the
 * password (PBKDF2-HMAC-SHA256). Changing the password re-wraps the data key and nothing else.
 *
 * While unlocked, the raw data key lives only in the injected KeyCache (in the extension:
 * storage.session, memory that dies with the browser), so a restarted service worker is still
 * unlocked. Everything else is read from IndexedDB on demand: this object keeps no entries.
 *
 * No browser-extension API or UI in here; storage, cache, clock and ids are passed in.
 */
import { base32Error } from './base32';
import {
  DATA_KEY_BYTES, PBKDF2_MIN_ITERATIONS, decryptJson, deriveKek, encryptJson, generateDataKey, importDataKey,
  newKdfParams, unwrapDataKey, wrapDataKey, type Bytes,
} from './crypto';
import {
  VAULT_FORMAT, checkHeader, clearVaultRecords, commitEntries, createVaultRecords, isEntryRecord,
  openVaultDb, readEverything, readHeader, readOne, replaceHeader,
  type EntryChanges, type EntryRecord, type VaultDb, type VaultHeader,
} from './store';
import type { EntryInput, OtpAlgorithm, OtpEntry, OtpType } from './types';

// ---- Errors ------------------------------------------------------------------------------

export type VaultErrorCode =
  | 'wrong-password'
  | 'weak-password'
  | 'not-initialized'
  | 'already-initialized'
  | 'locked'
  | 'not-found'
  | 'corrupt'
  | 'invalid-input';

/** Every refusal the vault makes; `code` matches the message protocol's ErrorCode. Messages are for people. */
export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

const invalid = (message: string): never => {
  throw new VaultError('invalid-input', message);
};

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

// ---- Entry checks: the vault never stores garbage, and never returns it -------------------

export const MIN_PASSWORD_LENGTH = 8;

const TYPES: readonly unknown[] = ['totp', 'hotp', 'steam'] satisfies OtpType[];
const ALGORITHMS: readonly unknown[] = ['SHA1', 'SHA256', 'SHA512'] satisfies OtpAlgorithm[];
const INPUT_KEYS = [
  'type', 'secret', 'algorithm', 'digits', 'period', 'counter', 'issuer', 'account', 'note', 'site',
] as const satisfies readonly (keyof EntryInput)[];
// Generous bounds: they only keep absurd values out (a 1 MB "issuer" is an accident or an attack).
const MAX_SECRET_CHARS = 1024;
const MAX_TEXT_CHARS: Record<'issuer' | 'account' | 'site' | 'note', number> = {
  issuer: 1000, account: 1000, site: 1000, note: 10_000,
};
const MAX_PERIOD_SECONDS = 86_400;
const MAX_ID_CHARS = 200;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Exactly the EntryInput fields of `value` (extra properties are dropped), or VaultError
 * 'invalid-input' naming the first problem. Structural checks only: parsing what a person
 * typed (spaces in secrets, lower case, ...) happens before, in otp-uri.ts.
 */
export function checkEntryInput(value: unknown): EntryInput {
  if (!isObject(value)) return invalid('An entry must be an object.');
  const { type, secret, algorithm, digits, period, counter } = value;
  if (!TYPES.includes(type)) invalid(`Unknown entry type: ${String(type)}.`);
  if (typeof secret !== 'string') return invalid('The secret must be text.');
  if (secret.length > MAX_SECRET_CHARS) invalid('The secret is too long.');
  const secretProblem = base32Error(secret);
  if (secretProblem) invalid(secretProblem);
  if (!ALGORITHMS.includes(algorithm)) invalid(`Unknown algorithm: ${String(algorithm)}.`);
  const steam = type === 'steam';
  if (!Number.isInteger(digits) || (steam ? digits !== 5 : (digits as number) < 6 || (digits as number) > 8)) {
    invalid(steam ? 'Steam codes have 5 characters.' : 'Codes have 6 to 8 digits.');
  }
  if (!Number.isInteger(period) || (period as number) < 1 || (period as number) > MAX_PERIOD_SECONDS || (steam && period !== 30)) {
    invalid(steam ? 'Steam codes change every 30 seconds.' : `The period must be a whole number of seconds, 1 to ${MAX_PERIOD_SECONDS}.`);
  }
  if (!Number.isSafeInteger(counter) || (counter as number) < 0) invalid('The counter must be a whole number, 0 or more.');
  for (const field of ['issuer', 'account', 'site', 'note'] as const) {
    const text = value[field];
    if (typeof text !== 'string') invalid(`The ${field} must be text.`);
    else if (text.length > MAX_TEXT_CHARS[field]) invalid(`The ${field} is too long.`);
  }
  const out = {} as Record<string, unknown>;
  for (const key of INPUT_KEYS) out[key] = value[key];
  return out as unknown as EntryInput;
}

/** A complete stored entry: input plus identity and placement, checked the same way. */
export function checkEntry(value: unknown): OtpEntry {
  const input = checkEntryInput(value);
  const { id, pinned, position, createdAt, updatedAt } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_CHARS) invalid('The entry has no valid id.');
  if (typeof pinned !== 'boolean') invalid('"pinned" must be true or false.');
  if (!Number.isSafeInteger(position) || (position as number) < 0) invalid('The position must be a whole number, 0 or more.');
  for (const time of [createdAt, updatedAt]) if (typeof time !== 'number' || !Number.isFinite(time)) invalid('The entry has an invalid time.');
  return { ...input, id, pinned, position, createdAt, updatedAt } as OtpEntry;
}

function checkNewPassword(password: unknown): asserts password is string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw new VaultError('weak-password', `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
}

/** Pinned first, then by position; createdAt and id settle ties so the order never flickers. */
export function compareEntries(a: OtpEntry, b: OtpEntry): number {
  return Number(b.pinned) - Number(a.pinned) || a.position - b.position || a.createdAt - b.createdAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The AAD that binds an entry's ciphertext to its id: a record moved or swapped fails to decrypt. */
export const entryAad = (id: string): string => `revoke/entry/v1/${id}`;

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

const isAuthFailure = (e: unknown): boolean => (e as { name?: unknown } | null)?.name === 'OperationError';

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

  /** Re-wraps the data key under the new password; entry records are not touched. Needs unlocked. */
  changePassword(oldPassword: string, newPassword: string): Promise<void> {
    return this.serial(async () => {
      await this.dataKey();
      checkNewPassword(newPassword);
      const db = await this.db();
      const header = await this.requireHeader(db);
      const raw = await this.unwrap(oldPassword, header);
      await replaceHeader(db, await this.wrapHeader(newPassword, raw, header.createdAt));
      await this.remember(raw);
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
          if (inputs.length > 1 && e instanceof VaultError) throw new VaultError(e.code, `Entry ${i + 1}: ${e.message}`);
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
    return this.serial(async () => {
      const entry = await this.load(await this.dataKey(), id);
      await this.commit({ remove: [entry.id] });
      return entry;
    });
  }

  /** Undo of `remove`: puts the entry back as it was (same id, position, times). */
  restore(entry: OtpEntry): Promise<void> {
    return this.serial(async () => {
      const key = await this.dataKey();
      await this.commit({ put: [await this.seal(key, checkEntry(entry))] });
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
      throw (await readHeader(await this.db())) === undefined ? notInitialized() : new VaultError('locked', 'The vault is locked.');
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
    if (!check.ok) throw new VaultError('corrupt', `The vault cannot be opened: ${check.problem}.`);
    return check.header;
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

const notInitialized = () => new VaultError('not-initialized', 'There is no vault yet: choose a password first.');
const alreadyInitialized = () => new VaultError('already-initialized', 'The vault already exists.');
const wrongPassword = () => new VaultError('wrong-password', 'Wrong password.');
const notFound = () => new VaultError('not-found', 'That entry no longer exists.');
const corruptEntry = () =>
  new VaultError('corrupt', 'That entry is damaged and cannot be decrypted; it can only be discarded.');
