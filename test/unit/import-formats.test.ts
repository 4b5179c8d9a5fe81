import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { bytesToBase32 } from '../../src/vault/base32';
import { IMPORT_LIMITS, ImportError, importText, markDuplicates, type ImportResult } from '../../src/vault/import';
import { encodeBase64 } from '../../src/vault/import/encoding';
import type { OtpEntry } from '../../src/vault/types';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'JBSWY3DPEHPK3PXP';
const SECRET2 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

async function importError(input: string | Uint8Array, password?: string): Promise<ImportError> {
  const error = await importText(input, { password }).catch((e: unknown) => e);
  if (!(error instanceof ImportError)) throw new Error(`expected an ImportError, got ${JSON.stringify(error)}`);
  return error;
}

const summary = (r: ImportResult) => r.entries.map((e) => `${e.input.issuer}|${e.input.account}|${e.input.type}|${e.input.secret}`);

// ---------------------------------------------------------------------------------------------
// A protobuf writer, independent of the reader under test

function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return out;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const varintField = (field: number, value: number | bigint) => [...key(field, 0), ...varint(value)];
const bytesField = (field: number, bytes: Uint8Array | number[]) => [...key(field, 2), ...varint(bytes.length), ...bytes];
const textField = (field: number, text: string) => bytesField(field, [...new TextEncoder().encode(text)]);

interface Otp {
  secret: number[];
  name: string;
  issuer?: string;
  algorithm?: number;
  digits?: number;
  type?: number;
  counter?: number | bigint;
  extra?: number[];
}

function otpParameters(o: Otp): number[] {
  return [
    ...bytesField(1, o.secret), ...textField(2, o.name), ...(o.issuer ? textField(3, o.issuer) : []),
    ...varintField(4, o.algorithm ?? 1), ...varintField(5, o.digits ?? 1), ...varintField(6, o.type ?? 2),
    ...(o.counter !== undefined ? varintField(7, o.counter) : []), ...(o.extra ?? []),
  ];
}

function migrationLink(otps: Otp[], batch: { size?: number; index?: number; id?: number } = {}): string {
  const payload = [
    ...otps.flatMap((o) => bytesField(1, otpParameters(o))), ...varintField(2, 1),
    ...varintField(3, batch.size ?? 1), ...varintField(4, batch.index ?? 0), ...varintField(5, batch.id ?? 0),
  ];
  return `otpauth-migration://offline?data=${encodeURIComponent(encodeBase64(new Uint8Array(payload)))}`;
}

const bytesOf = (n: number, seed: number) => Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff);

describe('Google Authenticator migration', () => {
  it('reads TOTP and HOTP accounts with their parameters', async () => {
    const result = await importText(migrationLink([
      { secret: bytesOf(10, 1), name: 'alice@example.com', issuer: 'Example' },
      { secret: bytesOf(20, 2), name: 'Bank:bob', issuer: 'Bank', algorithm: 2, digits: 2, type: 1, counter: 42 },
      { secret: bytesOf(32, 3), name: 'Shop:carol', algorithm: 3 },
    ]));
    expect(result.format).toEqual({ name: 'words_formatGoogle', encrypted: false });
    expect(result.problems).toEqual([]);
    expect(result.entries.map((e) => e.input)).toEqual([
      expect.objectContaining({ type: 'totp', issuer: 'Example', account: 'alice@example.com', secret: bytesToBase32(new Uint8Array(bytesOf(10, 1))), algorithm: 'SHA1', digits: 6, period: 30 }),
      expect.objectContaining({ type: 'hotp', issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8, counter: 42 }),
      // No issuer field: the "Issuer:" prefix of the name is the issuer.
      expect.objectContaining({ type: 'totp', issuer: 'Shop', account: 'carol', algorithm: 'SHA512' }),
    ]);
  });

  it('reads fields longer than 127 bytes (multi-byte lengths) and skips unknown fields', async () => {
    const longName = `${'a'.repeat(150)}@example.com`;
    const otps: Otp[] = Array.from({ length: 40 }, (_, i) => ({
      secret: bytesOf(64, i), name: `${longName}${i}`, issuer: `Issuer ${i}`,
      // Unknown fields of every wire type a later version might add.
      extra: [...varintField(20, 5), ...key(21, 5), 1, 2, 3, 4, ...key(22, 1), 1, 2, 3, 4, 5, 6, 7, 8, ...textField(23, 'x'.repeat(300))],
    }));
    const link = migrationLink(otps);
    expect(link.length).toBeGreaterThan(10_000);
    const result = await importText(link);
    expect(result.problems).toEqual([]);
    expect(result.entries).toHaveLength(40);
    expect(result.entries[39]!.input).toMatchObject({ issuer: 'Issuer 39', account: `${longName}39`, secret: bytesToBase32(new Uint8Array(bytesOf(64, 39))) });
  });

  it('combines the QR codes of a batch given in any order, with a negative batch id', async () => {
    const id = -1_234_567_890; // int32s are sign-extended to 10-byte varints
    const parts = [0, 1, 2].map((index) => migrationLink([{ secret: bytesOf(10, index), name: `account ${index}`, issuer: 'Batch' }], { size: 3, index, id }));
    const result = await importText(`${parts[2]}\n\n${parts[0]}\n${parts[1]}\n${parts[0]}\n`);
    expect(result.problems).toEqual([]);
    expect(result.entries.map((e) => e.input.account)).toEqual(['account 0', 'account 1', 'account 2']);
  });

  it('reports which part of an incomplete batch is missing, and imports the parts present', async () => {
    const parts = [0, 2].map((index) => migrationLink([{ secret: bytesOf(10, index), name: `account ${index}`, issuer: 'Batch' }], { size: 3, index, id: 77 }));
    const result = await importText(parts.join('\n'));
    expect(result.entries.map((e) => e.input.account)).toEqual(['account 0', 'account 2']);
    expect(result.problems).toEqual([{ label: 'Google Authenticator export', reason: expect.stringContaining('QR code 2 of 3 (batch index 1) is missing') }]);
  });

  it('keeps separate exports apart', async () => {
    const a = migrationLink([{ secret: bytesOf(10, 1), name: 'a' }], { size: 2, index: 0, id: 1 });
    const b = migrationLink([{ secret: bytesOf(10, 2), name: 'b' }], { size: 2, index: 1, id: 2 });
    const result = await importText(`${a}\n${b}`);
    expect(result.entries).toHaveLength(2);
    expect(result.problems.map((p) => p.reason)).toEqual([
      expect.stringContaining('QR code 2 of 2'), expect.stringContaining('QR code 1 of 2'),
    ]);
  });

  it('does not trust absurd batch sizes or indices', async () => {
    const started = performance.now();
    const huge = migrationLink([{ secret: bytesOf(10, 1), name: 'a', issuer: 'A' }], { size: 2_147_483_647, index: 5, id: 9 });
    const result = await importText(huge);
    expect(performance.now() - started).toBeLessThan(200);
    expect(result.entries).toHaveLength(1);
    expect(result.problems).toEqual([{ label: 'Google Authenticator export', reason: expect.stringContaining('2,147,483,647 parts') }]);
    const odd = [0, 1, 7].map((index) => migrationLink([{ secret: bytesOf(10, index), name: `n${index}`, issuer: 'B' }], { size: 2, index, id: 3 }));
    const misnumbered = await importText(odd.join('\n'));
    expect(misnumbered.entries.map((e) => e.input.account)).toEqual(['n0', 'n1', 'n7']);
    expect(misnumbered.problems).toEqual([{ label: 'Google Authenticator export', reason: expect.stringContaining('part 8 of 2') }]);
  });

  it('reports MD5, unknown parameters and out-of-range counters per account', async () => {
    const result = await importText(migrationLink([
      { secret: bytesOf(10, 1), name: 'md5', issuer: 'Old', algorithm: 4 },
      { secret: bytesOf(10, 2), name: 'ok', issuer: 'Good' },
      { secret: bytesOf(10, 3), name: 'digits', issuer: 'Odd', digits: 9 },
      { secret: bytesOf(10, 4), name: 'neg', issuer: 'Hotp', type: 1, counter: -1n },
      { secret: [], name: 'empty', issuer: 'Empty' },
    ]));
    expect(summary(result)).toEqual([`Good|ok|totp|${bytesToBase32(new Uint8Array(bytesOf(10, 2)))}`]);
    expect(result.problems).toEqual([
      { label: 'Old (md5)', reason: expect.stringMatching(/MD5.*not support/) },
      { label: 'Odd (digits)', reason: expect.stringContaining('digits') },
      { label: 'Hotp (neg)', reason: expect.stringContaining('counter') },
      { label: 'Empty (empty)', reason: 'The secret is empty.' },
    ]);
  });

  it('accepts URL-safe base64 and an unescaped "+"', async () => {
    const link = migrationLink([{ secret: [0xfb, 0xff, 0xfe, 0xfb, 0xef, 0xbe, 0xfb, 0xff, 0xfe, 0xfb], name: 'x', issuer: 'Y' }]);
    const data = decodeURIComponent(link.split('data=')[1]!);
    expect(data).toMatch(/[+/]/);
    for (const variant of [data.replace(/\+/g, '-').replace(/\//g, '_'), data]) {
      const result = await importText(`otpauth-migration://offline?data=${variant}`);
      expect(result.entries).toHaveLength(1);
    }
  });

  it('refuses a truncated or damaged export as corrupt', async () => {
    const link = migrationLink([{ secret: bytesOf(20, 1), name: 'a'.repeat(200), issuer: 'Cut' }]);
    const truncated = link.slice(0, link.length - 40);
    expect(await importError(truncated)).toMatchObject({ code: 'corrupt', message: expect.stringMatching(/damaged or cut off/) });
    expect(await importError('otpauth-migration://offline?data=%%%')).toMatchObject({ code: 'corrupt' });
    expect(await importError('otpauth-migration://offline?data=***')).toMatchObject({ code: 'corrupt', message: expect.stringContaining('not base64') });
    expect(await importError('otpauth-migration://offline')).toMatchObject({ code: 'corrupt' });
  });

  it('reports a damaged link among good ones by line', async () => {
    const good = migrationLink([{ secret: bytesOf(10, 1), name: 'a', issuer: 'A' }]);
    const result = await importText(`${good}\n${good.slice(0, -10)}`);
    expect(result.entries).toHaveLength(1);
    expect(result.problems).toEqual([{ label: 'Line 2', reason: expect.stringContaining('damaged') }]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('link lists', () => {
  it('skips blank and comment lines and reports lines that are not links', async () => {
    const result = await importText([
      '# exported by hand', '', `otpauth://totp/GitHub:alice?secret=${SECRET}`, '// another comment',
      'hello there', `steam://${SECRET2}`, `otpauth://totp/Bad:x?secret=NOT-BASE32!`, '',
    ].join('\r\n'));
    expect(result.format).toEqual({ name: 'words_formatLinks', encrypted: false });
    expect(summary(result)).toEqual([`GitHub|alice|totp|${SECRET}`, `Steam||steam|${SECRET2}`]);
    expect(result.problems).toEqual([
      { label: 'Line 5', reason: 'Not an otpauth:// link.' },
      { label: 'Line 7', reason: expect.stringContaining("'!'") },
    ]);
  });

  it('keeps Ente Auth pins and notes and leaves out trashed codes', async () => {
    const display = (d: object) => `&codeDisplay=${encodeURIComponent(JSON.stringify(d))}`;
    const result = await importText([
      `otpauth://totp/A:a?secret=${SECRET}${display({ pinned: true, trashed: false, note: 'backup codes in the safe' })}`,
      `otpauth://totp/B:b?secret=${SECRET2}${display({ pinned: false, trashed: true })}`,
    ].join('\n'));
    expect(result.format).toEqual({ name: 'words_formatEnte', encrypted: false });
    expect(result.entries).toEqual([{ input: expect.objectContaining({ issuer: 'A', note: 'backup codes in the safe' }), pinned: true, sourceLabel: 'Line 1' }]);
    expect(result.problems).toEqual([{ label: 'Line 2', reason: expect.stringContaining('trash') }]);
  });
});

describe('Bitwarden', () => {
  const item = (name: string, login: object) => ({ type: 1, name, login: { uris: null, username: null, password: null, ...login } });

  it('reads links, bare secrets and steam://, names them from the item, and takes the site from its address', async () => {
    const result = await importText(JSON.stringify({
      encrypted: false,
      items: [
        item('GitHub', { totp: `otpauth://totp/?secret=${SECRET}`, username: 'alice', uris: [{ match: null, uri: 'https://github.com/login' }] }),
        item('Bank', { totp: ' jbsw y3dp ehpk 3pxp ', username: 'bob', uris: [{ uri: 'androidapp://com.bank' }] }),
        item('Valve', { totp: `steam://${SECRET2}`, username: 'gabe' }),
        item('Password only', { password: 'hunter2' }),
        item('Broken', { totp: 'otpauth://totp/x?secret=1' }),
      ],
    }));
    expect(result.entries.map((e) => [e.sourceLabel, e.input.issuer, e.input.account, e.input.type, e.input.secret, e.input.site])).toEqual([
      ['GitHub', 'GitHub', 'alice', 'totp', SECRET, 'github.com'],
      ['Bank', 'Bank', 'bob', 'totp', SECRET, ''],
      ['Valve', 'Steam', 'gabe', 'steam', SECRET2, ''],
    ]);
    expect(result.problems).toEqual([{ label: 'Broken', reason: expect.stringContaining("'1'") }]);
  });

  it('reads CSV with quoted fields and line breaks in notes', async () => {
    const csv = 'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n'
      + `,1,login,"Git, Hub","line one\nline ""two""",,0,"https://github.com,https://gist.github.com",alice,pw,${SECRET}\n`
      + ',,login,No code,,,0,,bob,pw,\n';
    const result = await importText(csv);
    expect(result.format).toEqual({ name: 'words_formatBitwardenCsv', encrypted: false });
    expect(result.entries).toEqual([{ input: expect.objectContaining({ issuer: 'Git, Hub', account: 'alice', site: 'github.com' }), sourceLabel: 'Git, Hub' }]);
    expect(await importError(`${csv},,login,"unterminated`)).toMatchObject({ code: 'corrupt' });
  });

  it('explains that encrypted exports cannot be read', async () => {
    expect(await importError(JSON.stringify({ encrypted: true, passwordProtected: true, data: '2.x|y|z' }))).toMatchObject({ code: 'unsupported', message: expect.stringContaining('password-protected') });
    expect(await importError(JSON.stringify({ encrypted: true, items: [] }))).toMatchObject({ code: 'unsupported', message: expect.stringContaining('account key') });
  });
});

describe('Authenticator (browser extension) backups', () => {
  it('reads the hash → entry map in index order, with its types and pins', async () => {
    const result = await importText(JSON.stringify({
      'b-uuid': { account: 'bob', issuer: 'Blizzard', secret: `blz-${SECRET}`, type: 'totp', index: 2, encrypted: false, hash: 'b-uuid' },
      'a-uuid': { account: 'alice', issuer: 'GitHub', secret: SECRET, type: 'totp', index: 0, pinned: true, encrypted: false, hash: 'a-uuid' },
      'c-uuid': { account: 'carol', issuer: 'Hex', secret: '3132333435363738393031323334353637383930', type: 'hhex', counter: 7, index: 1, encrypted: false, hash: 'c-uuid' },
      'd-uuid': { account: 'dave', issuer: 'Valve', secret: `stm-${SECRET2}`, type: 'totp', index: 3, algorithm: 'SHA1', encrypted: false, hash: 'd-uuid' },
      'e-uuid': { account: 'eve', issuer: 'Gost', secret: SECRET, type: 'totp', index: 4, algorithm: 'GOST3411_2012_256', encrypted: false, hash: 'e-uuid' },
    }));
    expect(result.format).toEqual({ name: 'words_formatAuthenticatorExt', encrypted: false });
    expect(result.entries.map((e) => [e.input.issuer, e.input.type, e.input.digits, e.input.counter, e.pinned])).toEqual([
      ['GitHub', 'totp', 6, 0, true],
      ['Hex', 'hotp', 6, 7, false],
      ['Blizzard', 'totp', 8, 0, false],
      ['Valve', 'steam', 5, 0, false],
    ]);
    expect(result.entries[1]!.input.secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(result.problems).toEqual([{ label: 'Gost (eve)', reason: expect.stringContaining('GOST') }]);
  });

  it('explains that an encrypted backup cannot be read', async () => {
    const backup = { 'a-uuid': { dataType: 'EncOTPStorage', keyId: 'k', data: 'U2FsdGVkX1...', index: 0 }, k: { dataType: 'Key', id: 'k', salt: 's', hash: 'h', version: 3 } };
    expect(await importError(JSON.stringify(backup))).toMatchObject({ code: 'unsupported', message: expect.stringContaining('encrypted') });
  });
});

// ---------------------------------------------------------------------------------------------

describe('damaged, unknown and hostile input', () => {
  const aegisPlain = (entries: unknown[]) => JSON.stringify({ version: 1, header: { slots: null, params: null }, db: { version: 2, entries } });
  const aegisEntry = (issuer: string, secret: unknown = SECRET, extra: object = {}) => ({
    type: 'totp', name: 'user', issuer, info: { secret, algo: 'SHA1', digits: 6, period: 30 }, ...extra,
  });

  it('imports the good entries of a file and reports each bad one with the reason', async () => {
    const result = await importText(aegisPlain([
      aegisEntry('Good'),
      aegisEntry('BadSecret', 'ABC!DEF'),
      { ...aegisEntry('TooManyDigits'), info: { secret: SECRET, digits: 12 } },
      aegisEntry('ObjectIssuer', SECRET, { name: { first: 'x' } }),
      { type: 'totp', name: 'noinfo', issuer: 'NoInfo' },
      { ...aegisEntry('Yandex'), type: 'yandex' },
      'not an entry',
      aegisEntry('Good too', SECRET2, { favorite: true, note: 'keep' }),
    ]));
    expect(result.entries.map((e) => [e.input.issuer, e.pinned, e.input.note])).toEqual([['Good', undefined, ''], ['Good too', true, 'keep']]);
    expect(result.problems).toEqual([
      { label: 'BadSecret (user)', reason: expect.stringContaining("'!'") },
      { label: 'TooManyDigits (user)', reason: expect.stringContaining('digits') },
      { label: 'ObjectIssuer', reason: 'The field “account” must be text or a number.' },
      { label: 'NoInfo (noinfo)', reason: 'The secret is empty.' },
      { label: 'Yandex (user)', reason: 'Yandex codes are not supported.' },
      { label: 'Entry 7', reason: 'The secret is empty.' },
    ]);
  });

  it('refuses truncated JSON as corrupt', async () => {
    const text = aegisPlain([aegisEntry('A'), aegisEntry('B')]);
    expect(await importError(text.slice(0, text.length / 2))).toMatchObject({ code: 'corrupt', message: expect.stringContaining('damaged or cut off') });
  });

  it('says what an unknown input looked like', async () => {
    const cases: [string | Uint8Array, RegExp][] = [
      ['', /empty/],
      ['just some words\nand more', /no otpauth:\/\/ or otpauth-migration:\/\/ links/],
      [JSON.stringify({ hello: 1, world: 2 }), /JSON, but not an export format Revoke knows \(it has fields "hello", "world"\)/],
      ['[1,2,3]', /JSON list of 3 items/],
      ['[]', /empty JSON list/],
      ['name,url,username,password\nx,y,z,w', /CSV file, but it has no login_totp column.*"name", "url"/],
      [SECRET, /bare secret key/],
      [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00]), /image/],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe]), /ZIP/],
      [new Uint8Array([0xc3, 0x28, 0xa0, 0xa1]), /not text/],
      [JSON.stringify({ kdfParams: { memLimit: 1, opsLimit: 1, salt: 'x' }, encryptedData: 'y', encryptionNonce: 'z' }), /Ente Auth/],
    ];
    for (const [input, message] of cases) {
      const error = await importError(input);
      expect(['unknown-format', 'unsupported']).toContain(error.code);
      expect(error.message).toMatch(message);
    }
  });

  it('reads UTF-16 text with a byte-order mark', async () => {
    const text = `otpauth://totp/Ünïcode:ä?secret=${SECRET}`;
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) utf16[2 + 2 * i] = text.charCodeAt(i) & 0xff, utf16[3 + 2 * i] = text.charCodeAt(i) >> 8;
    expect(summary(await importText(utf16))).toEqual([`Ünïcode|ä|totp|${SECRET}`]);
  });

  it('refuses a 50 MB file quickly, saying it is too large', async () => {
    const started = performance.now();
    const error = await importError(new Uint8Array(50 * 1024 * 1024));
    const text = await importError('x'.repeat(50_000_000));
    expect(performance.now() - started).toBeLessThan(500);
    for (const e of [error, text]) expect(e).toMatchObject({ code: 'too-large', message: expect.stringMatching(/too large.*limit is 20 MB/) });
    expect(IMPORT_LIMITS.maxBytes).toBe(20 * 1024 * 1024);
  });

  // Its speed is a figure of `npm run bench` (timed assertions fail on a busy machine, not on slow code).
  it('imports 100,000 entries', async () => {
    const entries = Array.from({ length: 100_000 }, (_, i) =>
      aegisEntry(`Issuer ${i}`, bytesToBase32(new Uint8Array([i >> 16, (i >> 8) & 0xff, i & 0xff, 1, 2, 3, 4, 5, 6, 7]))));
    const text = aegisPlain(entries);
    const result = await importText(text);
    expect(result.entries).toHaveLength(100_000);
    expect(result.entries[99_999]!.input.issuer).toBe('Issuer 99999');
    expect(result.problems).toEqual([]);
  });

  it('refuses deeply nested JSON without crashing', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(await importError(deep)).toMatchObject({ code: 'unknown-format', message: expect.stringContaining('nests more than') });
    const nestedInEntry = aegisPlain([{ ...aegisEntry('A'), note: JSON.parse(`${'['.repeat(70)}${']'.repeat(70)}`) }]);
    expect(await importError(nestedInEntry)).toMatchObject({ code: 'unknown-format' });
  });

  it('treats "__proto__" and other inherited names as plain data, polluting nothing', async () => {
    const text = `{
      "__proto__": { "polluted": true, "secret": "${SECRET}" },
      "constructor": { "prototype": { "polluted": true } },
      "a-uuid": { "account": "alice", "issuer": "GitHub", "secret": "${SECRET}", "type": "totp", "index": 0,
                  "__proto__": { "issuer": "Evil", "pinned": true } },
      "b-uuid": { "__proto__": { "secret": "${SECRET2}", "account": "mallory" }, "index": 1 }
    }`;
    const result = await importText(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('secret');
    // The "__proto__" key is an entry-shaped value like any other; an entry's own "__proto__"
    // lends it nothing (b-uuid has no secret of its own, so it is not an entry at all).
    expect(result.entries.map((e) => [e.input.issuer, e.input.account, e.input.secret, e.pinned])).toEqual([
      ['GitHub', 'alice', SECRET, false], ['', '', SECRET, false],
    ]);
    expect(result.problems).toEqual([]);

    const aegis = `{"version":1,"header":{"slots":null,"params":null},"db":{"version":2,"entries":[
      {"type":"totp","name":"x","issuer":"X","__proto__":{"info":{"secret":"${SECRET}"}}}]}}`;
    expect((await importText(aegis)).problems).toEqual([{ label: 'X (x)', reason: 'The secret is empty.' }]);
    expect(({} as Record<string, unknown>).info).toBeUndefined();
  });

  it('rejects non-string fields and huge strings per entry', async () => {
    const result = await importText(aegisPlain([
      aegisEntry('Array secret', [1, 2, 3]),
      aegisEntry('x'.repeat(5_000_000)),
      { ...aegisEntry('Digits object'), info: { secret: SECRET, digits: { six: 6 } } },
      aegisEntry('Fine'),
    ]));
    expect(result.entries.map((e) => e.input.issuer)).toEqual(['Fine']);
    expect(result.problems.map((p) => p.reason)).toEqual([
      'The field “secret” must be text or a number.', 'Issuer: too long (5,000,000 characters; at most 200).', 'The field “digits” must be text or a number.',
    ]);
    expect(result.problems[1]!.label.length).toBeLessThan(100);
  });
});

// ---------------------------------------------------------------------------------------------

const aegisEntryOf = (issuer: string) => ({ type: 'totp', name: 'user', issuer, info: { secret: SECRET, algo: 'SHA1', digits: 6, period: 30 } });

describe('encrypted exports: wrong passwords and damage', () => {
  const fixture = (name: string) => readFileSync(path.resolve(repoRoot, 'test/fixtures/otp-exports', name), 'utf8');

  it('tells a wrong password from a damaged Aegis vault', async () => {
    const file = JSON.parse(fixture('aegis_encrypted.json'));
    expect(await importError(JSON.stringify(file), 'Test')).toMatchObject({ code: 'wrong-password' });
    const db = file.db as string;
    const damaged = { ...file, db: `${db.slice(0, 100)}${db[100] === 'A' ? 'B' : 'A'}${db.slice(101)}` };
    expect(await importError(JSON.stringify(damaged), 'test')).toMatchObject({ code: 'corrupt', message: expect.stringContaining('password is right') });
    const truncated = { ...file, db: db.slice(0, 200) };
    expect(await importError(JSON.stringify(truncated), 'test')).toMatchObject({ code: 'corrupt' });
  });

  it('opens Aegis vaults made independently, trying each password slot and the pre-#95 password encoding', async () => {
    const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    const gcm = async (key: Uint8Array, plain: Uint8Array) => {
      const nonce = crypto.getRandomValues(new Uint8Array(12));
      const k = await crypto.subtle.importKey('raw', new Uint8Array(key), 'AES-GCM', false, ['encrypt']);
      const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce }, k, new Uint8Array(plain)));
      return { ciphertext: sealed.slice(0, -16), tag: hex(sealed.slice(-16)), nonce: hex(nonce) };
    };
    const masterKey = crypto.getRandomValues(new Uint8Array(32));
    const slot = async (passwordBytes: Uint8Array, repaired: boolean) => {
      const salt = crypto.getRandomValues(new Uint8Array(32));
      const kek = await scryptAsync(passwordBytes, salt, { N: 1024, r: 8, p: 1, dkLen: 32 });
      const wrapped = await gcm(kek, masterKey);
      return { type: 1, key: hex(wrapped.ciphertext), key_params: { nonce: wrapped.nonce, tag: wrapped.tag }, n: 1024, r: 8, p: 1, salt: hex(salt), repaired };
    };
    const db = await gcm(masterKey, new TextEncoder().encode(JSON.stringify({ version: 3, entries: [aegisEntryOf('Made here')] })));
    const file = (slots: object[]) => JSON.stringify({ version: 1, header: { slots, params: { nonce: db.nonce, tag: db.tag } }, db: encodeBase64(db.ciphertext) });

    const long = 'a passphrase longer than one 64-byte HMAC-SHA256 block, all ASCII';
    expect(long).toHaveLength(65);
    // Old Aegis encoded 65 chars into Java's 71-byte (65 × 1.1) buffer and kept the zero padding.
    const legacy = new Uint8Array(71);
    legacy.set(new TextEncoder().encode(long));
    const other = await slot(new TextEncoder().encode('someone else'), true);
    const result = await importText(file([other, await slot(legacy, false)]), { password: long });
    expect(result.entries.map((e) => e.input.issuer)).toEqual(['Made here']);
    expect(await importError(file([await slot(legacy, true)]), long)).toMatchObject({ code: 'wrong-password' });
  });

  it('refuses Aegis slots it cannot or should not open', async () => {
    const file = JSON.parse(fixture('aegis_encrypted.json'));
    const biometricOnly = { ...file, header: { ...file.header, slots: [{ ...file.header.slots[0], type: 2 }] } };
    expect(await importError(JSON.stringify(biometricOnly), 'test')).toMatchObject({ code: 'unsupported', message: expect.stringContaining('biometrics') });
    const started = performance.now();
    const greedy = { ...file, header: { ...file.header, slots: [{ ...file.header.slots[0], n: 2 ** 24 }] } };
    expect(await importError(JSON.stringify(greedy), 'test')).toMatchObject({ code: 'unsupported', message: expect.stringContaining('N=16777216') });
    expect(performance.now() - started).toBeLessThan(200);
    const broken = { ...file, header: { ...file.header, slots: [{ ...file.header.slots[0], salt: 'zz' }] } };
    expect(await importError(JSON.stringify(broken), 'test')).toMatchObject({ code: 'corrupt' });
  });

  it('tells a wrong password from damaged 2FAS services', async () => {
    const file = JSON.parse(fixture('2fas_authenticator_encrypted_v4.2fas'));
    const [data, salt, iv] = (file.servicesEncrypted as string).split(':') as [string, string, string];
    const flipped = `${data.slice(0, 10)}${data[10] === 'A' ? 'B' : 'A'}${data.slice(11)}`;
    expect(await importError(JSON.stringify({ ...file, servicesEncrypted: `${flipped}:${salt}:${iv}` }), 'test'))
      .toMatchObject({ code: 'corrupt', message: expect.stringContaining('password is right') });
    expect(await importError(JSON.stringify({ ...file, servicesEncrypted: `${data}:${salt}` }), 'test')).toMatchObject({ code: 'corrupt' });
    expect(await importError(JSON.stringify(file), 'tesT')).toMatchObject({ code: 'wrong-password' });
  });
});

describe('markDuplicates', () => {
  const entry = (over: Partial<OtpEntry>): OtpEntry => ({
    id: 'x', type: 'totp', secret: SECRET, algorithm: 'SHA1', digits: 6, period: 30, counter: 0, issuer: 'GitHub', account: 'alice',
    note: '', site: '', pinned: false, position: 0, createdAt: 0, updatedAt: 0, ...over,
  });
  const imported = (over: Partial<OtpEntry>) => ({ input: entry(over), sourceLabel: 'x' });

  it('matches the vault first, then earlier entries of the same import', () => {
    const existing = [entry({ id: 'v1' }), entry({ id: 'v2', secret: SECRET2, issuer: 'Bank', account: 'bob' })];
    expect(markDuplicates([
      imported({ secret: 'jbsw y3dp ehpk 3pxp', issuer: ' github ', account: 'ALICE', digits: 8 }),
      imported({ issuer: 'GitHub (work)' }),
      imported({ secret: 'MZXW6YTBOI', issuer: 'New' }),
      imported({ secret: 'MZXW6YTBOI', issuer: 'new' }),
      imported({ secret: 'MZXW6YTBOI', issuer: 'New', type: 'hotp' }),
      imported({ secret: SECRET2, issuer: 'Bank', account: 'bob', counter: 9 }),
    ], existing)).toEqual([
      { of: 'existing', entryId: 'v1', match: 'exact' },
      { of: 'existing', entryId: 'v1', match: 'same-secret' },
      null,
      { of: 'import', index: 2, match: 'exact' },
      null,
      { of: 'existing', entryId: 'v2', match: 'exact' },
    ]);
  });
});
