/**
 * Every sample export in test/fixtures/otp-exports must import exactly the entries
 * expected.json lists for it (same order, same fields), and nothing may be left out.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ImportError, importText, type ImportFormat, type ImportResult } from '../../src/vault/import';
import { formatName } from '../../src/vault/import/format-name';
import { validateEntryInput } from '../../src/vault/otp-uri';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = path.resolve(repoRoot, 'test/fixtures/otp-exports');

interface ExpectedEntry {
  type: string;
  issuer: string;
  name: string;
  secret: string;
  algorithm: string;
  digits: number;
  period?: number;
  counter?: number;
}
interface ExpectedFile {
  format: string;
  encrypted: boolean;
  password?: string;
  entries: ExpectedEntry[];
}

const expected = JSON.parse(readFileSync(path.join(fixtures, 'expected.json'), 'utf8')).files as Record<string, ExpectedFile>;
const files = readdirSync(fixtures).filter((f) => f !== 'README.md' && f !== 'expected.json').sort();

const plain = (name: ImportFormat['name']): ImportFormat => ({ name, encrypted: false });
const FORMATS: Record<string, ImportFormat> = {
  '2fas_authenticator.json': plain('words_format2fas'),
  '2fas_authenticator_encrypted_v4.2fas': { name: 'words_format2fas', encrypted: true },
  '2fas_authenticator_plain_v4.2fas': plain('words_format2fas'),
  'aegis_encrypted.json': { name: 'words_formatAegis', encrypted: true },
  'aegis_plain.json': plain('words_formatAegis'),
  'andotp_plain.json': plain('words_formatAndOtp'),
  'bitwarden.csv': plain('words_formatBitwardenCsv'),
  'bitwarden.json': plain('words_formatBitwardenJson'),
  'ente_auth.txt': plain('words_formatEnte'),
  'freeotp_plus.json': plain('words_formatFreeOtpPlus'),
  'plain.txt': plain('words_formatLinks'),
  'proton_authenticator.json': plain('words_formatProton'),
  'steam.json': plain('words_formatSteam'),
};
/** How the preview names each file's format, in English. */
const FORMAT_NAMES: Record<string, string> = {
  '2fas_authenticator.json': '2FAS',
  '2fas_authenticator_encrypted_v4.2fas': '2FAS (encrypted)',
  '2fas_authenticator_plain_v4.2fas': '2FAS',
  'aegis_encrypted.json': 'Aegis (encrypted)',
  'aegis_plain.json': 'Aegis',
  'andotp_plain.json': 'andOTP',
  'bitwarden.csv': 'Bitwarden (CSV)',
  'bitwarden.json': 'Bitwarden (JSON)',
  'ente_auth.txt': 'Ente Auth',
  'freeotp_plus.json': 'FreeOTP+',
  'plain.txt': 'otpauth:// links',
  'proton_authenticator.json': 'Proton Authenticator',
  'steam.json': 'Steam Guard (Steam Desktop Authenticator)',
};

/** The fields expected.json states, in its vocabulary (name = account; period or counter by type). */
function project(result: ImportResult): ExpectedEntry[] {
  return result.entries.map(({ input: e }) => ({
    type: e.type, issuer: e.issuer, name: e.account, secret: e.secret, algorithm: e.algorithm, digits: e.digits,
    ...(e.type === 'hotp' ? { counter: e.counter } : { period: e.period }),
  }));
}

const read = (file: string): Uint8Array => new Uint8Array(readFileSync(path.join(fixtures, file)));

describe('sample exports from other apps', () => {
  it('has an expectation for every file, and a file for every expectation', () => {
    expect(files.length).toBeGreaterThanOrEqual(13);
    expect(Object.keys(expected).sort()).toEqual(files);
  });

  it.each(files)('%s imports exactly the expected entries', async (file) => {
    const want = expected[file]!;
    const result = await importText(read(file), { password: want.password });
    expect(result.needsPassword).toBeFalsy();
    expect(result.problems).toEqual([]);
    expect(result.format).toEqual(FORMATS[file]);
    expect(formatName(result.format)).toBe(FORMAT_NAMES[file]);
    expect(project(result)).toEqual(want.entries);
    for (const entry of result.entries) {
      // Imported entries obey the same rules as pasted ones: validating again changes nothing.
      const again = validateEntryInput(entry.input);
      expect(again.ok && again.entry).toEqual(entry.input);
      expect(entry.sourceLabel).not.toBe('');
    }
  });

  it('reads the same file given as text', async () => {
    const text = readFileSync(path.join(fixtures, 'plain.txt'), 'utf8');
    expect(project(await importText(text, {}))).toEqual(expected['plain.txt']!.entries);
  });

  const encrypted = files.filter((f) => expected[f]!.encrypted);

  it.each(encrypted)('%s asks for a password when none is given', async (file) => {
    const result = await importText(read(file), {});
    expect(result).toEqual({ format: FORMATS[file], entries: [], problems: [], needsPassword: true });
  });

  it.each(encrypted)('%s refuses a wrong password', async (file) => {
    const error = await importText(read(file), { password: 'not the password' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect(error).toMatchObject({ code: 'wrong-password', message: expect.stringMatching(/wrong password/i) });
  });
});
