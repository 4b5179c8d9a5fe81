/**
 * Aegis vault export, plain or encrypted. Encrypted: each password slot holds the vault's master
 * key, wrapped with AES-256-GCM under a key that scrypt derives from the password (slot n, r, p,
 * salt; key_params nonce/tag); the db is base64 AES-256-GCM ciphertext under the master key, with
 * nonce/tag in header.params. Entries: { type, name, issuer, note, favorite, info: { secret, algo,
 * digits, period | counter } }.
 */
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { EntryCollector, entryLabel } from './collector';
import { concatBytes, decodeBase64, decodeHex, decodeUtf8, utf8Encode } from './encoding';
import { corrupt, said, unsupported, wrongPassword } from './errors';
import { gcmOpen, importAesKey } from './decrypt';
import { field, hasField, isRecord, parseInnerJson } from './json';
import { needsPassword, type JsonFormat } from './json-format';
import type { ImportResult } from './types';

const NAME = 'words_formatAegis';
const SLOT_TYPE_PASSWORD = 1;
const MASTER_KEY_BYTES = 32;
/** Aegis uses N=2^15, r=8, p=1: N×r×p = 2^18 per slot. */
const AEGIS_DEFAULT_WORK = 2 ** 18;
/** Per slot: 16 times Aegis's work at most, and bounds that refuse files built to exhaust memory. */
const SCRYPT_MAX = { N: 2 ** 20, r: 32, p: 16, work: 2 ** 22, memoryBytes: 256 * 1024 * 1024 };
/** Aegis writes one password slot; a few more leave room for hand-made files, not thousands. */
const MAX_PASSWORD_SLOTS = 4;
/**
 * N×r×p summed over every scrypt run (slots tried, times the password encodings tried per slot):
 * 32 times one Aegis slot, the cost of the largest allowed slot tried both ways. About 7 s with
 * @noble/hashes at 3.5 s per 2^22 on a laptop; this shared test machine needs 16 s per 2^22.
 */
const SCRYPT_TOTAL_WORK = 2 ** 23;

export const aegis: JsonFormat = {
  name: NAME,
  matches: (doc) => isRecord(doc) && hasField(doc, 'header') && hasField(doc, 'db') && hasField(doc, 'version'),
  async read(doc, { password }) {
    const db = field(doc, 'db');
    if (isRecord(db)) return readEntries(db, false);
    if (typeof db !== 'string') throw corrupt('importErr_aegisNoDb');
    if (!password) return needsPassword(NAME);
    const header = field(doc, 'header');
    const masterKey = await unlockMasterKey(field(header, 'slots'), password);
    return readEntries(await decryptDb(db, field(header, 'params'), masterKey), true);
  },
};

function readEntries(db: unknown, encrypted: boolean): ImportResult {
  const entries = field(db, 'entries');
  if (!Array.isArray(entries)) throw corrupt('importErr_aegisNoEntries');
  const collector = new EntryCollector();
  entries.forEach((entry: unknown, i) => {
    const label = entryLabel(field(entry, 'issuer'), field(entry, 'name'), () => said('importErr_labelEntry', i + 1));
    const type = field(entry, 'type');
    if (type === 'yandex' || type === 'motp') {
      collector.reject(label, said('importErr_codesUnsupported', type === 'yandex' ? 'Yandex' : 'mOTP'));
      return;
    }
    const info = field(entry, 'info');
    const pinned = field(entry, 'favorite');
    collector.add({
      type, secret: field(info, 'secret'), algorithm: field(info, 'algo'), digits: field(info, 'digits'),
      period: field(info, 'period'), counter: field(info, 'counter'),
      issuer: field(entry, 'issuer'), account: field(entry, 'name'), note: field(entry, 'note'),
    }, { sourceLabel: label, pinned: typeof pinned === 'boolean' ? pinned : undefined });
  });
  return collector.result(NAME, encrypted);
}

/**
 * Every scrypt run is paid for before the first one starts: a file may list any number of slots,
 * each costing seconds, so the count and the summed work are checked first and refused whole.
 */
async function unlockMasterKey(slots: unknown, password: string): Promise<CryptoKey> {
  if (!Array.isArray(slots)) throw corrupt('importErr_aegisNoSlots');
  // Biometric (2) and raw (0) slots need no scrypt: they are skipped, however many there are.
  const passwordSlots = slots.filter((slot) => field(slot, 'type') === SLOT_TYPE_PASSWORD);
  if (passwordSlots.length === 0) {
    throw unsupported('importErr_aegisBiometric');
  }
  if (passwordSlots.length > MAX_PASSWORD_SLOTS) {
    throw unsupported('importErr_aegisSlots', passwordSlots.length, MAX_PASSWORD_SLOTS);
  }
  const attempts = passwordSlots.map(parsePasswordSlot).map((slot) => ({ slot, passwords: passwordBytes(password, slot.repaired) }));
  const work = attempts.reduce((sum, { slot, passwords }) => sum + slot.N * slot.r * slot.p * passwords.length, 0);
  if (work > SCRYPT_TOTAL_WORK) {
    throw unsupported('importErr_aegisWork', Math.round(work / AEGIS_DEFAULT_WORK), SCRYPT_TOTAL_WORK / AEGIS_DEFAULT_WORK, work, SCRYPT_TOTAL_WORK);
  }
  for (const { slot, passwords } of attempts) {
    const masterKey = await openPasswordSlot(slot, passwords);
    if (masterKey) return importAesKey(masterKey);
  }
  throw wrongPassword('importErr_aegisWrongPassword');
}

interface PasswordSlot {
  N: number;
  r: number;
  p: number;
  salt: Uint8Array;
  wrapped: Uint8Array;
  nonce: Uint8Array;
  tag: Uint8Array;
  repaired: boolean;
}

function parsePasswordSlot(slot: unknown): PasswordSlot {
  const N = field(slot, 'n');
  const r = field(slot, 'r');
  const p = field(slot, 'p');
  const salt = decodeHex(String(field(slot, 'salt') ?? ''));
  const wrapped = decodeHex(String(field(slot, 'key') ?? ''));
  const params = field(slot, 'key_params');
  const nonce = decodeHex(String(field(params, 'nonce') ?? ''));
  const tag = decodeHex(String(field(params, 'tag') ?? ''));
  if (!isWhole(N) || !isWhole(r) || !isWhole(p) || !salt || !wrapped || !nonce || !tag || nonce.length !== 12 || tag.length !== 16) {
    throw corrupt('importErr_aegisSlotDamaged');
  }
  checkScryptCost(N, r, p);
  return { N, r, p, salt, wrapped, nonce, tag, repaired: field(slot, 'repaired') === true };
}

async function openPasswordSlot(slot: PasswordSlot, passwords: Uint8Array[]): Promise<Uint8Array | null> {
  const { N, r, p } = slot;
  for (const bytes of passwords) {
    const kek = await scryptAsync(bytes, slot.salt, { N, r, p, dkLen: 32, maxmem: SCRYPT_MAX.memoryBytes + 1024 * 1024 });
    const masterKey = await gcmOpen(await importAesKey(kek), slot.nonce, concatBytes(slot.wrapped, slot.tag));
    if (masterKey?.length === MASTER_KEY_BYTES) return masterKey;
  }
  return null;
}

const isWhole = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

function checkScryptCost(N: number, r: number, p: number): void {
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo) throw corrupt('importErr_aegisSlotScrypt');
  if (N > SCRYPT_MAX.N || r > SCRYPT_MAX.r || p > SCRYPT_MAX.p || N * r * p > SCRYPT_MAX.work || 128 * N * r > SCRYPT_MAX.memoryBytes) {
    // The parameters as Aegis writes them (not quantities to read), so not grouped like numbers.
    throw unsupported('importErr_aegisScrypt', String(N), String(r), String(p));
  }
}

/**
 * The password as UTF-8, and for slots Aegis has not "repaired" (its issue #95) also the way old
 * Aegis versions encoded it: Java's whole encoder buffer, zero-padded past the text. HMAC pads keys
 * of up to 64 bytes with zeros anyway, so the old form only differs for longer passwords.
 */
function passwordBytes(password: string, repaired: boolean): Uint8Array[] {
  const bytes = utf8Encode(password);
  if (repaired || bytes.length <= 64) return [bytes];
  // Java's CharsetEncoder starts at (int)(chars × 1.1f) bytes (float arithmetic) and grows the buffer to 2n+1 until it fits.
  let capacity = Math.floor(Math.fround(password.length * Math.fround(1.1)));
  while (capacity < bytes.length) capacity = 2 * capacity + 1;
  const legacy = new Uint8Array(capacity);
  legacy.set(bytes);
  return capacity === bytes.length ? [bytes] : [bytes, legacy];
}

async function decryptDb(db: string, params: unknown, masterKey: CryptoKey): Promise<unknown> {
  const ciphertext = decodeBase64(db);
  const nonce = decodeHex(String(field(params, 'nonce') ?? ''));
  const tag = decodeHex(String(field(params, 'tag') ?? ''));
  if (!ciphertext || !nonce || !tag || nonce.length !== 12 || tag.length !== 16) {
    throw corrupt('importErr_aegisSealed');
  }
  const plaintext = await gcmOpen(masterKey, nonce, concatBytes(ciphertext, tag));
  if (!plaintext) throw corrupt('importErr_aegisAltered');
  const text = decodeUtf8(plaintext);
  if (text === null) throw corrupt('importErr_aegisNotText');
  return parseInnerJson(text, said('importErr_aegisVault'));
}
