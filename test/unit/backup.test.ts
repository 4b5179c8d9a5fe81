import { beforeAll, describe, expect, it } from 'vitest';
import {
  BACKUP_ITERATIONS, createBackup, exportOtpauthList, headerAad, openBackup, readBackup, type BackupFile,
} from '../../src/vault/backup';
import { GCM_TAG_BYTES, PAD_BLOCK_BYTES } from '../../src/vault/crypto';
import { ImportError, importText } from '../../src/vault/import';
import { decodeBase64, encodeBase64 } from '../../src/vault/import/encoding';
import type { OtpEntry } from '../../src/vault/types';

const PASSWORD = 'correct horse battery staple';
const FAST = { iterations: BACKUP_ITERATIONS.min };

const base = { algorithm: 'SHA1', digits: 6, period: 30, counter: 0, note: '', site: '', pinned: false, createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000 } as const;
const ENTRIES: OtpEntry[] = [
  { ...base, id: 'e-3', type: 'totp', secret: 'JBSWY3DPEHPK3PXP', issuer: 'GitHub', account: 'alice@example.com', pinned: true, position: 2, site: 'github.com', note: 'recovery codes: in the safe\nsecond line' },
  { ...base, id: 'e-1', type: 'hotp', secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', algorithm: 'SHA256', digits: 8, counter: 9_007_199_254_740_991, issuer: 'Bank', account: 'bob', position: 0 },
  { ...base, id: 'e-2', type: 'steam', secret: 'HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ', digits: 5, issuer: 'Steam', account: 'gabe', position: 1, updatedAt: 1_800_000_000_000 },
  { ...base, id: 'e-4', type: 'totp', secret: 'MZXW6YTBOI', algorithm: 'SHA512', digits: 7, period: 60, issuer: 'Ünïcödé 🔐', account: 'ça:va', position: 3, pinned: true },
];

async function importError(promise: Promise<unknown>): Promise<ImportError> {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof ImportError)) throw new Error(`expected an ImportError, got ${String(error)}`);
  return error;
}

/** The backup with one field replaced (dot path), as text. */
function edit(text: string, change: (file: BackupFile & Record<string, unknown>) => void): string {
  const file = JSON.parse(text);
  change(file);
  return JSON.stringify(file);
}

const flipByte = (b64: string, at: number): string => {
  const bytes = decodeBase64(b64)!;
  bytes[at]! ^= 0x01;
  return encodeBase64(bytes);
};

let backup: string;
beforeAll(async () => {
  backup = await createBackup(ENTRIES, PASSWORD, FAST);
});

describe('Revoke backup', () => {
  it('round-trips every field, in order, at the default 600,000 iterations', async () => {
    let started = performance.now();
    const text = await createBackup(ENTRIES, PASSWORD);
    const created = performance.now() - started;
    started = performance.now();
    const entries = await readBackup(text, PASSWORD);
    const read = performance.now() - started;
    console.info(`600,000-iteration backup of ${ENTRIES.length} entries: create ${Math.round(created)} ms, read ${Math.round(read)} ms`);
    expect(entries).toEqual(ENTRIES);
    expect(JSON.parse(text).kdf.iterations).toBe(600_000);
  });

  it('writes the documented header, and pads the contents', async () => {
    const file = JSON.parse(backup) as BackupFile;
    expect(Object.keys(file)).toEqual(['format', 'version', 'kdf', 'key', 'cipher', 'ciphertext']);
    expect(file).toMatchObject({
      format: 'revoke-backup', version: 1,
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: BACKUP_ITERATIONS.min, salt: expect.any(String) },
      key: { name: 'AES-GCM', iv: expect.any(String), wrapped: expect.any(String) },
      cipher: { name: 'AES-GCM', iv: expect.any(String) },
    });
    expect(decodeBase64(file.kdf.salt)).toHaveLength(16);
    expect(decodeBase64(file.key.wrapped)).toHaveLength(32 + GCM_TAG_BYTES);
    expect((decodeBase64(file.ciphertext)!.length - GCM_TAG_BYTES) % PAD_BLOCK_BYTES).toBe(0);
    expect(headerAad(file)).toBe(`{"format":"revoke-backup","version":1,"kdf":{"name":"PBKDF2","hash":"SHA-256","iterations":100000,"salt":"${file.kdf.salt}"},`
      + `"key":{"name":"AES-GCM","iv":"${file.key.iv}","wrapped":"${file.key.wrapped}"},"cipher":{"name":"AES-GCM","iv":"${file.cipher.iv}"}}`);
    // No secret, name or note appears in the clear.
    for (const e of ENTRIES) for (const value of [e.secret, e.issuer, e.account]) expect(backup).not.toContain(value);
  });

  it('reads the backup from bytes and reports when it was made', async () => {
    const contents = await openBackup(new TextEncoder().encode(backup), PASSWORD);
    expect(contents.entries).toEqual(ENTRIES);
    expect(Math.abs(contents.exportedAt - Date.now())).toBeLessThan(60_000);
  });

  it('refuses a wrong password', async () => {
    const error = await importError(readBackup(backup, 'Correct horse battery staple'));
    expect(error).toMatchObject({ code: 'wrong-password', message: expect.stringContaining('Wrong password') });
  });

  it('detects a flipped byte anywhere in the ciphertext', async () => {
    const length = decodeBase64(JSON.parse(backup).ciphertext)!.length;
    for (const at of [0, Math.floor(length / 2), length - 1]) {
      const tampered = edit(backup, (f) => { f.ciphertext = flipByte(f.ciphertext, at); });
      expect(await importError(readBackup(tampered, PASSWORD))).toMatchObject({ code: 'corrupt', message: expect.stringContaining('altered or damaged') });
    }
  });

  it('detects any change to the authenticated header', async () => {
    const corruptions: ((f: BackupFile & Record<string, unknown>) => void)[] = [
      (f) => { f.cipher.iv = flipByte(f.cipher.iv, 0); },
      (f) => { f.key.iv = flipByte(f.key.iv, 3); },
      (f) => { f.key.wrapped = flipByte(f.key.wrapped, 40); },
      (f) => { f.kdf.salt = flipByte(f.kdf.salt, 5); },
      (f) => { f.kdf.iterations += 1; },
      (f) => { f.comment = 'unauthenticated'; },
      (f) => { (f.cipher as Record<string, unknown>).tagLength = 96; },
      (f) => { f.kdf.salt = `${f.kdf.salt.slice(0, -2)}`; },
    ];
    for (const change of corruptions) {
      const error = await importError(readBackup(edit(backup, change), PASSWORD));
      // A changed key derivation or key wrap is indistinguishable from a wrong password; everything else is named damage.
      expect(['corrupt', 'wrong-password']).toContain(error.code);
    }
    const ivChanged = edit(backup, (f) => { f.cipher.iv = flipByte(f.cipher.iv, 0); });
    expect(await importError(readBackup(ivChanged, PASSWORD))).toMatchObject({ code: 'corrupt' });
  });

  it('says a backup from a newer version needs a newer Revoke', async () => {
    const v2 = edit(backup, (f) => { (f as Record<string, unknown>).version = 2; });
    for (const error of [await importError(readBackup(v2, PASSWORD)), await importError(importText(v2, {}))]) {
      expect(error).toMatchObject({ code: 'unsupported', message: expect.stringMatching(/newer version of Revoke \(backup format version 2\).*reads version 1/) });
    }
    const v0 = edit(backup, (f) => { (f as Record<string, unknown>).version = 'one'; });
    expect(await importError(readBackup(v0, PASSWORD))).toMatchObject({ code: 'corrupt' });
    expect(await importError(readBackup('{"format":"something-else"}', PASSWORD))).toMatchObject({ code: 'unknown-format' });
    expect(await importError(readBackup(backup.slice(0, 300), PASSWORD))).toMatchObject({ code: 'corrupt' });
  });

  it('is detected by importText, keeping pins, notes and sites', async () => {
    expect(await importText(backup, {})).toEqual({ format: { name: 'words_formatRevokeBackup', encrypted: true }, entries: [], problems: [], needsPassword: true });
    const result = await importText(backup, { password: PASSWORD });
    expect(result.problems).toEqual([]);
    expect(result.entries.map((e) => e.pinned)).toEqual([true, false, false, true]);
    expect(result.entries.map((e) => e.input)).toEqual(ENTRIES.map(({ id, pinned, position, createdAt, updatedAt, ...input }) => input));
    expect(await importError(importText(backup, { password: 'nope' }))).toMatchObject({ code: 'wrong-password' });
  });

  it('refuses to write what it could not read back', async () => {
    await expect(createBackup(ENTRIES, '')).rejects.toThrow(/password/);
    await expect(createBackup(ENTRIES, PASSWORD, { iterations: 1000 })).rejects.toThrow(RangeError);
    await expect(createBackup([{ ...ENTRIES[0]!, digits: 12 }], PASSWORD, FAST)).rejects.toThrow(/digits/);
  });
});

describe('exportOtpauthList', () => {
  it('writes one link per entry that imports back to the same codes', async () => {
    const list = exportOtpauthList(ENTRIES);
    expect(list.split('\n')).toHaveLength(ENTRIES.length + 1);
    const result = await importText(list, {});
    expect(result.problems).toEqual([]);
    expect(result.entries.map((e) => e.input)).toEqual(ENTRIES.map((e) => ({
      type: e.type, secret: e.secret, algorithm: e.algorithm, digits: e.digits, period: e.period, counter: e.counter,
      issuer: e.issuer, account: e.account, note: '', site: '',
    })));
    expect(exportOtpauthList([])).toBe('');
  });
});
