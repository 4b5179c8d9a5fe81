/**
 * Revoke's own encrypted backup file (format described in docs/backup-format.md).
 *
 * A random 256-bit data key encrypts the entries (AES-256-GCM); the data key is wrapped by a key
 * derived from the backup password (PBKDF2-HMAC-SHA256, 600,000 iterations by default). Wrapping a
 * random key, as the vault does, lets the reader tell a wrong password (the wrap does not open)
 * from a damaged or altered file (the wrap opens, the contents do not). Every header field is
 * authenticated: the AAD of the contents is the canonical JSON of the whole header.
 */
import {
  IV_BYTES, PAD_BLOCK_BYTES, decryptJson, deriveKek, generateDataKey, importDataKey, newKdfParams, randomBytes, seal, unseal,
  type Bytes,
} from './crypto';
import { toOtpUri } from './otp-uri';
import type { EntryInput, OtpEntry } from './types';
import { checkEntry } from './entry-check';
import { decodeBase64, encodeBase64 } from './import/encoding';
import { corrupt, importError, unsupported, wrongPassword } from './import/errors';
import { decodeInput } from './import/input';
import { field, isRecord, parseJsonDocument } from './import/json';

export const BACKUP_FORMAT = 'revoke-backup';
export const BACKUP_VERSION = 1;
export const BACKUP_ITERATIONS = { default: 600_000, min: 100_000, max: 10_000_000 } as const;

/** Binds the wrapped data key to its role: no other Revoke ciphertext (e.g. the vault's key) can stand in for it. */
const KEY_AAD = 'revoke-backup/v1/key';

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  key: { name: 'AES-GCM'; iv: string; wrapped: string };
  cipher: { name: 'AES-GCM'; iv: string };
}

export interface BackupFile extends BackupHeader {
  ciphertext: string;
}

export interface BackupContents {
  entries: OtpEntry[];
  /** When the backup was made (ms since the epoch). */
  exportedAt: number;
}

/** The additional authenticated data of the contents: the header as canonical JSON (fixed key order, no spaces). */
export function headerAad(h: BackupHeader): string {
  return JSON.stringify({
    format: h.format,
    version: h.version,
    kdf: { name: h.kdf.name, hash: h.kdf.hash, iterations: h.kdf.iterations, salt: h.kdf.salt },
    key: { name: h.key.name, iv: h.key.iv, wrapped: h.key.wrapped },
    cipher: { name: h.cipher.name, iv: h.cipher.iv },
  });
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * The backup file's text for these entries (all OtpEntry fields, in the given order). Entries are
 * checked like the vault checks them; an invalid one throws VaultError 'invalid-input'.
 */
export async function createBackup(entries: readonly OtpEntry[], password: string, opts: { iterations?: number } = {}): Promise<string> {
  if (typeof password !== 'string' || password.length === 0) throw new TypeError('A backup needs a password.');
  const iterations = opts.iterations ?? BACKUP_ITERATIONS.default;
  if (!Number.isSafeInteger(iterations) || iterations < BACKUP_ITERATIONS.min || iterations > BACKUP_ITERATIONS.max) {
    throw new RangeError(`PBKDF2 iterations must be ${BACKUP_ITERATIONS.min} to ${BACKUP_ITERATIONS.max}.`);
  }
  const payload = { entries: entries.map((e) => checkEntry(e)), exportedAt: Date.now() };

  const kdf = newKdfParams(iterations);
  const rawKey = generateDataKey();
  const wrapped = await seal(await deriveKek(password, kdf), rawKey, KEY_AAD);
  const iv = randomBytes(IV_BYTES);
  const header: BackupHeader = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: encodeBase64(kdf.salt) },
    key: { name: 'AES-GCM', iv: encodeBase64(wrapped.iv), wrapped: encodeBase64(wrapped.ciphertext) },
    cipher: { name: 'AES-GCM', iv: encodeBase64(iv) },
  };
  const ciphertext = await encryptPadded(await importDataKey(rawKey), iv, payload, headerAad(header));
  const file: BackupFile = { ...header, ciphertext: encodeBase64(ciphertext) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Like crypto.ts's encryptJson (same padding, so length hides little), with the IV chosen first so the header can name it. */
async function encryptPadded(key: CryptoKey, iv: Bytes, value: unknown, aad: string): Promise<Uint8Array> {
  const json = new TextEncoder().encode(JSON.stringify(value));
  const padded = new Uint8Array(Math.ceil(json.length / PAD_BLOCK_BYTES) * PAD_BLOCK_BYTES).fill(0x20);
  padded.set(json);
  const additionalData = new TextEncoder().encode(aad);
  return new Uint8Array(await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, key, padded));
}

/** A plain otpauth:// list (one link a line) that any authenticator imports. Notes, sites and pins are not part of it. */
export function exportOtpauthList(entries: readonly EntryInput[]): string {
  return entries.map((entry) => `${toOtpUri(entry)}\n`).join('');
}

// ---------------------------------------------------------------------------------------------
// Reading

export const isRevokeBackup = (doc: unknown): boolean => field(doc, 'format') === BACKUP_FORMAT;

/** The entries of a backup, exactly as they were saved. Throws ImportError ('wrong-password', 'corrupt', 'unsupported', ...). */
export async function readBackup(input: string | Uint8Array, password: string): Promise<OtpEntry[]> {
  return (await openBackup(input, password)).entries;
}

export async function openBackup(input: string | Uint8Array, password: string): Promise<BackupContents> {
  const { entries, exportedAt } = await decryptBackup(parseJsonDocument(decodeInput(input)), password);
  return {
    exportedAt,
    entries: entries.map((entry, i) => {
      try {
        return checkEntry(entry);
      } catch (e) {
        throw corrupt('vaultErr_backupEntry', i + 1, e instanceof Error ? e.message : 'unreadable');
      }
    }),
  };
}

/** Checks the header and decrypts; entries come back unchecked (callers decide how strict to be). */
export async function decryptBackup(doc: unknown, password: string): Promise<{ entries: unknown[]; exportedAt: number }> {
  const file = checkBackupFile(doc);
  const kek = await deriveKek(password, {
    name: 'PBKDF2', hash: 'SHA-256', iterations: file.kdf.iterations, salt: bytes(file.kdf.salt),
  });
  let rawKey: Bytes;
  try {
    rawKey = await unseal(kek, { iv: bytes(file.key.iv), ciphertext: bytes(file.key.wrapped) }, KEY_AAD);
  } catch {
    throw wrongPassword('vaultErr_backupWrongPassword');
  }
  let payload: unknown;
  try {
    payload = await decryptJson(await importDataKey(rawKey), { iv: bytes(file.cipher.iv), ciphertext: bytes(file.ciphertext) }, headerAad(file));
  } catch {
    throw corrupt('vaultErr_backupAltered');
  }
  const entries = field(payload, 'entries');
  const exportedAt = field(payload, 'exportedAt');
  if (!Array.isArray(entries) || typeof exportedAt !== 'number') throw corrupt('vaultErr_backupNoEntries');
  return { entries, exportedAt };
}

const bytes = (b64: string): Bytes => decodeBase64(b64)!;

const SHAPE = {
  top: ['format', 'version', 'kdf', 'key', 'cipher', 'ciphertext'],
  kdf: ['name', 'hash', 'iterations', 'salt'],
  key: ['name', 'iv', 'wrapped'],
  cipher: ['name', 'iv'],
} as const;

/** The file's header, checked field by field; nothing unknown is accepted, since it would not be authenticated. */
export function checkBackupFile(doc: unknown): BackupFile {
  if (!isRevokeBackup(doc)) throw importError('unknown-format', 'vaultErr_backupNotBackup');
  const version = field(doc, 'version');
  if (version !== BACKUP_VERSION) {
    if (Number.isSafeInteger(version) && (version as number) > BACKUP_VERSION) {
      // Version names, not quantities: never grouped like numbers.
      throw unsupported('vaultErr_backupNewer', String(version), String(BACKUP_VERSION));
    }
    throw corrupt('vaultErr_backupVersion', String(JSON.stringify(version)).slice(0, 20));
  }
  exactKeys(doc, SHAPE.top, 'backup');
  const kdf = field(doc, 'kdf');
  const key = field(doc, 'key');
  const cipher = field(doc, 'cipher');
  exactKeys(kdf, SHAPE.kdf, 'kdf');
  exactKeys(key, SHAPE.key, 'key');
  exactKeys(cipher, SHAPE.cipher, 'cipher');
  if (field(kdf, 'name') !== 'PBKDF2' || field(kdf, 'hash') !== 'SHA-256' || field(key, 'name') !== 'AES-GCM' || field(cipher, 'name') !== 'AES-GCM') {
    throw unsupported('vaultErr_backupAlgorithms');
  }
  const iterations = field(kdf, 'iterations');
  if (!Number.isSafeInteger(iterations) || (iterations as number) < BACKUP_ITERATIONS.min || (iterations as number) > BACKUP_ITERATIONS.max) {
    throw corrupt('vaultErr_backupIterations', BACKUP_ITERATIONS.min, BACKUP_ITERATIONS.max);
  }
  base64Field(kdf, 'salt', 16, 64);
  base64Field(key, 'iv', IV_BYTES, IV_BYTES);
  base64Field(key, 'wrapped', 48, 48);
  base64Field(cipher, 'iv', IV_BYTES, IV_BYTES);
  base64Field(doc, 'ciphertext', 16, Infinity);
  return doc as BackupFile;
}

/** `part` is the header's own name for the object ("kdf"), the same in every language. */
function exactKeys(obj: unknown, keys: readonly string[], part: string): void {
  if (!isRecord(obj)) throw corrupt('vaultErr_backupNotObject', part);
  const extra = Object.keys(obj).find((k) => !keys.includes(k));
  if (extra !== undefined) throw corrupt('vaultErr_backupExtraField', part, JSON.stringify(extra.slice(0, 30)));
  const missing = keys.find((k) => !Object.hasOwn(obj, k));
  if (missing) throw corrupt('vaultErr_backupMissingField', part, missing);
}

/** Canonical base64 only (as written), so the authenticated header has exactly one spelling. */
function base64Field(obj: unknown, name: string, min: number, max: number): void {
  const text = field(obj, name);
  const decoded = typeof text === 'string' ? decodeBase64(text) : null;
  if (!decoded || encodeBase64(decoded) !== text || decoded.length < min || decoded.length > max) {
    throw corrupt('vaultErr_backupField', name);
  }
}
