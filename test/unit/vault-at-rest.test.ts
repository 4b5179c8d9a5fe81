/**
 * What an attacker with a copy of the browser profile sees: every record of every object store,
 * read with the raw IndexedDB API (not through the Vault). None of the entries' contents may
 * appear in any encoding we can think of.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { bytesToBase32 } from '../../src/vault/base32';
import { openVaultDb } from '../../src/vault/store';
import type { EntryInput } from '../../src/vault/types';
import { Vault, memoryKeyCache } from '../../src/vault/vault';

// ---- Raw reading ----

const done = <T>(request: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

interface RawRecord {
  store: string;
  key: IDBValidKey;
  value: unknown;
}

async function readEveryRecord(name: string): Promise<{ stores: string[]; records: RawRecord[] }> {
  const db = await done(indexedDB.open(name));
  const stores = [...db.objectStoreNames];
  const tx = db.transaction(stores, 'readonly');
  const perStore = await Promise.all(
    stores.map(async (store) => {
      const os = tx.objectStore(store);
      const [keys, values] = await Promise.all([done(os.getAllKeys()), done(os.getAll())]);
      return keys.map((key, i) => ({ store, key, value: values[i] as unknown }));
    }),
  );
  db.close();
  return { stores, records: perStore.flat() };
}

/** Every byte sequence and string reachable from a value (a view contributes its whole buffer: IDB stores that). */
function collect(value: unknown, bytes: Uint8Array[] = [], strings: string[] = []) {
  if (typeof value === 'string') strings.push(value);
  else if (typeof value === 'number' || typeof value === 'bigint') strings.push(String(value));
  else if (value instanceof ArrayBuffer) bytes.push(new Uint8Array(value));
  else if (ArrayBuffer.isView(value)) bytes.push(new Uint8Array(value.buffer as ArrayBuffer));
  else if (Array.isArray(value)) for (const v of value) collect(v, bytes, strings);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      strings.push(k);
      collect(v, bytes, strings);
    }
  }
  return { bytes, strings };
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const utf16 = (s: string, littleEndian: boolean) => {
  const out = new Uint8Array(s.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < s.length; i++) view.setUint16(i * 2, s.charCodeAt(i), littleEndian);
  return out;
};
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** Base64 of the bytes at each of the three alignments, trimmed to whole groups, so any embedding is caught. */
const base64Cores = (b: Uint8Array) =>
  [0, 1, 2]
    .map((k) => b.subarray(k, k + Math.floor((b.length - k) / 3) * 3))
    .filter((part) => part.length >= 6)
    .map((part) => Buffer.from(part).toString('base64'));

/** Everything found in the database that matches a secret, described for the failure message. */
function findLeaks(records: RawRecord[], texts: string[], secretBytes: Uint8Array[]): string[] {
  const leaks: string[] = [];
  for (const record of records) {
    const where = `${record.store}/${String(record.key)}`;
    const { bytes, strings } = collect([record.key, record.value]);
    const textForms = [
      ...strings,
      JSON.stringify(record.value),
      ...bytes.map((b) => Buffer.from(b).toString('latin1')),
      ...bytes.map((b) => new TextDecoder().decode(b)),
    ].map((s) => s.toLowerCase());
    const byteNeedles = [
      ...texts.flatMap((t) => [utf8(t), utf16(t, true), utf16(t, false)]),
      ...secretBytes,
    ];
    const textNeedles = [
      ...texts,
      ...[...texts.map(utf8), ...secretBytes].flatMap((b) => [hex(b), ...base64Cores(b)]),
    ];
    for (const needle of textNeedles) {
      if (textForms.some((form) => form.includes(needle.toLowerCase()))) leaks.push(`${where}: text "${needle}"`);
    }
    for (const needle of byteNeedles) {
      if (bytes.some((b) => indexOfBytes(b, needle) >= 0)) leaks.push(`${where}: bytes ${hex(needle)}`);
    }
  }
  return leaks;
}

// ---- The scenario ----

// Secret bytes chosen to be neither ASCII nor anything that occurs by chance.
const SECRET_BYTES = Uint8Array.from([0xd3, 0x9a, 0x41, 0xfe, 0x07, 0x6c, 0xb2, 0x88, 0x15, 0xe9, 0x3f, 0xa0, 0x5d, 0xc4, 0x72, 0x0b, 0x99, 0xee, 0x26, 0x61]);
const SECRET = bytesToBase32(SECRET_BYTES);
const HOTP_SECRET_BYTES = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);

const distinctive: EntryInput = {
  type: 'totp', secret: SECRET, algorithm: 'SHA256', digits: 8, period: 30, counter: 0,
  issuer: 'Quokka Savings Bank', account: 'marmalade.whistle@example.org',
  note: 'spare codes are under the blue teapot', site: 'quokka-savings.example',
};

const PLAINTEXTS = [
  distinctive.issuer, distinctive.account, distinctive.note, distinctive.site, SECRET,
  'Zanzibar Hosting', 'periwinkle.otter', 'recovery sheet in drawer seven', 'zanzibar-hosting.example',
  'edited note about the lighthouse', 'Restored Narwhal Ltd',
];

describe('the vault at rest', () => {
  it('leaves no entry content in any record of any store', async () => {
    const name = `at-rest-${Math.random().toString(36).slice(2)}`;
    const keyCache = memoryKeyCache();
    const vault = new Vault({ keyCache, db: () => openVaultDb(name), kdfIterations: 1000, allowWeakKdfForTests: true });
    await vault.setup('a long enough password');

    const first = await vault.add(distinctive);
    const [hotp] = await vault.addMany([
      {
        ...distinctive, type: 'hotp', secret: bytesToBase32(HOTP_SECRET_BYTES), counter: 7,
        issuer: 'Zanzibar Hosting', account: 'periwinkle.otter', note: 'recovery sheet in drawer seven',
        site: 'zanzibar-hosting.example',
      },
      { ...distinctive, issuer: 'Restored Narwhal Ltd' },
    ]);
    await vault.update(first.id, { note: 'edited note about the lighthouse', pinned: true });
    await vault.advanceCounter(hotp!.id);
    await vault.move(hotp!.id, 99);
    const removed = await vault.remove(first.id);
    await vault.restore(removed);
    await vault.changePassword('a long enough password', 'another long password');
    const dataKey = (await keyCache.get())!;
    await vault.lock();

    const { stores, records } = await readEveryRecord(name);
    expect(stores.sort()).toEqual(['entries', 'meta']);
    expect(records.filter((r) => r.store === 'entries')).toHaveLength(3);

    // Shape: entries carry only id, IV and ciphertext; the header only what unlocking needs.
    for (const r of records) {
      const keys = Object.keys(r.value as object).sort();
      if (r.store === 'entries') expect(keys).toEqual(['ciphertext', 'id', 'iv']);
      else expect(keys).toEqual(['createdAt', 'format', 'kdf', 'wrappedKey']);
    }

    // Content: neither the entries' text, nor the secrets' bytes, nor the raw data key.
    const leaks = findLeaks(records, PLAINTEXTS, [SECRET_BYTES, HOTP_SECRET_BYTES, dataKey]);
    expect(leaks).toEqual([]);

    // Still all there for the right password.
    await vault.unlock('another long password');
    const { entries } = await vault.list();
    expect(entries.map((e) => e.issuer).sort()).toEqual(['Quokka Savings Bank', 'Restored Narwhal Ltd', 'Zanzibar Hosting']);
  });

  it('the scanner itself finds plaintext planted in each encoding (so a pass means something)', async () => {
    const name = `at-rest-probe-${Math.random().toString(36).slice(2)}`;
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () => open.result.createObjectStore('s');
    const probe = await done(open);
    const planted: [string, unknown][] = [
      ['utf8', { blob: utf8('xx Quokka Savings Bank xx') }],
      ['utf16', { blob: utf16('periwinkle.otter', true) }],
      ['string', { note: 'My SPARE CODES ARE UNDER THE BLUE TEAPOT' }],
      ['secret bytes', { blob: Uint8Array.from([1, 2, ...SECRET_BYTES, 3]) }],
      ['hex', { hex: `00${hex(SECRET_BYTES)}ff` }],
      ['base64', { b64: Buffer.from(utf8('>>Zanzibar Hosting')).toString('base64') }],
      ['view over a larger buffer', { view: new Uint8Array(utf8('marmalade.whistle@example.org').buffer, 0, 2) }],
    ];
    const tx = probe.transaction('s', 'readwrite');
    for (const [key, value] of planted) tx.objectStore('s').put(value, key);
    await new Promise((resolve) => (tx.oncomplete = resolve));
    probe.close();
    const { records } = await readEveryRecord(name);
    for (const record of records) {
      expect(findLeaks([record], PLAINTEXTS, [SECRET_BYTES]), String(record.key)).not.toEqual([]);
    }
  });
});
