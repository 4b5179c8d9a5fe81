/**
 * Property tests: whatever arrives (random text, damaged links, odd form values), parsing never
 * throws, every rejection says something, and every accepted entry is stable (validating it again
 * or writing and re-reading its link gives the same entry) and yields a code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToBase32 } from '../../src/vault/base32';
import { generateCode } from '../../src/vault/codes';
import { parseOtpUri, toOtpUri, validateEntryInput } from '../../src/vault/otp-uri';
import type { EntryInput, ParseResult } from '../../src/vault/types';

/** FUZZ_RUNS=50000 for a longer hunt; failures print the fast-check seed to replay. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const YEAR_2100_MS = 4_102_444_800_000;

/** Any UTF-16 code unit, lone surrogates and control characters included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyText = fc.oneof(fc.string({ unit: codeUnit, maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ maxLength: 120 }));
const hexByte = fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, '0')}`);
const percentGarbage = fc.array(fc.oneof(hexByte, fc.constantFrom('%', '%Z', '%ZZ', '%%', '%E0%A4', '%C0%80', '%ED%A0%80')), { maxLength: 6 }).map((a) => a.join(''));
/** Characters that mean something in a link, and escapes of them. */
const tricky = fc.oneof(
  fc.constantFrom(':', '&', '=', '?', '#', '+', ' ', '/', '%', '\u0000', '\n', '\ud800', '\udc00', '1', '0', '8', 'a', 'Z', 'é', '🔑',
    '%3A', '%26', '%3D', '%2B', '%20', '%E2%80%AE', '%C3', '%ZZ'),
  fc.string({ unit: codeUnit, maxLength: 3 }),
  percentGarbage,
);

const validSecret = fc.uint8Array({ minLength: 1, maxLength: 64 }).map(bytesToBase32);
/** How a person might paste a valid secret: case, spaces, dashes, padding. */
const messySecret = fc.tuple(validSecret, fc.boolean(), fc.constantFrom('', ' ', '-'), fc.constantFrom('', '=', '======')).map(
  ([s, lower, sep, pad]) => `${(lower ? s.toLowerCase() : s).replace(/(.{4})(?=.)/g, `$1${sep}`)}${pad}`);
const name = fc.string({ unit: 'grapheme', maxLength: 40 });

/** Entries as validation would produce them, with awkward unicode names. */
const validEntry: fc.Arbitrary<EntryInput> = fc.record({
  type: fc.constantFrom('totp', 'hotp', 'steam'),
  secret: validSecret,
  algorithm: fc.constantFrom('SHA1', 'SHA256', 'SHA512'),
  digits: fc.integer({ min: 6, max: 8 }),
  period: fc.oneof(fc.constantFrom(15, 30, 60), fc.integer({ min: 1, max: 86400 })),
  counter: fc.oneof(fc.nat(1000), fc.maxSafeNat()),
  issuer: name,
  account: name,
  note: fc.constant(''),
  site: fc.constant(''),
}).map((raw) => {
  const result = validateEntryInput(raw);
  if (!result.ok) throw new Error(`generator made an invalid entry: ${result.error}`);
  return result.entry;
});

/** Checks a parse result; returns whether it was accepted so properties can count. */
function checkResult(result: ParseResult, nowMs: number): boolean {
  if (!result.ok) {
    expect(typeof result.error).toBe('string');
    expect(result.error.trim()).not.toBe('');
    return false;
  }
  const { entry } = result;
  const again = validateEntryInput(entry);
  expect(again.ok ? again.entry : again.error).toEqual(entry);
  const reread = parseOtpUri(toOtpUri(entry));
  expect(reread.ok ? reread.entry : reread.error).toEqual({ ...entry, note: '', site: '' });
  const code = generateCode(entry, nowMs);
  expect(code).toMatch(entry.type === 'steam' ? /^[23456789BCDFGHJKMNPQRTVWXY]{5}$/ : new RegExp(`^\\d{${entry.digits}}$`));
  return true;
}

const now = fc.integer({ min: 0, max: YEAR_2100_MS });

/** Runs a property and reports how many inputs were accepted, so both branches are known to be exercised. */
function acceptedCount<T>(arb: fc.Arbitrary<T>, parse: (input: T) => ParseResult): number {
  let accepted = 0;
  fc.assert(fc.property(arb, now, (input, nowMs) => {
    if (checkResult(parse(input), nowMs)) accepted++;
  }), { numRuns: RUNS });
  return accepted;
}

describe('parseOtpUri on random input', () => {
  it('never throws on random text', () => {
    acceptedCount(anyText, parseOtpUri);
  });

  it('never throws on random text after a link prefix', () => {
    const prefix = fc.constantFrom('otpauth://totp/', 'otpauth://hotp/', 'otpauth://steam/', 'steam://', 'otpauth://', 'otpauth:', 'OTPAUTH://TOTP/');
    const tail = fc.array(fc.oneof(tricky, anyText), { maxLength: 8 }).map((parts) => parts.join(''));
    acceptedCount(fc.tuple(prefix, tail).map(([p, t]) => p + t), parseOtpUri);
  });

  it('accepts every valid entry written as a link, and reads it back unchanged', () => {
    fc.assert(fc.property(validEntry, (entry) => {
      expect(parseOtpUri(toOtpUri(entry))).toEqual({ ok: true, entry, warnings: expect.any(Array) });
    }), { numRuns: RUNS });
  });

  it('handles valid links with random characters inserted, deleted or replaced', () => {
    const edit = fc.record({ op: fc.constantFrom('insert', 'delete', 'replace'), at: fc.nat(), text: tricky });
    const damaged = fc.tuple(validEntry, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([entry, edits]) => {
      let uri = toOtpUri(entry);
      for (const { op, at, text } of edits) {
        const i = at % (uri.length + 1);
        uri = uri.slice(0, i) + (op === 'delete' ? '' : text) + uri.slice(op === 'insert' ? i : i + 1);
      }
      return uri;
    });
    expect(acceptedCount(damaged, parseOtpUri)).toBeGreaterThan(RUNS / 20);
  });

  it('handles links built from random parameters and values', () => {
    const key = fc.oneof(fc.constantFrom('secret', 'issuer', 'algorithm', 'digits', 'period', 'counter', 'encoder', 'image', 'codeDisplay', 'SECRET', ''), anyText);
    const value = fc.oneof(
      messySecret, anyText, percentGarbage, fc.integer().map(String), fc.double().map(String), fc.maxSafeInteger().map(String),
      fc.constantFrom('SHA1', 'sha256', 'SHA-512', 'MD5', '5', '6', '8', '9', '0', '-1', '30', '86400', '86401', '1e3', 'steam', ''),
    );
    const param = fc.tuple(key, value, fc.boolean()).map(([k, v, encode]) => `${k}=${encode ? encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '')) : v}`);
    const link = fc.record({
      type: fc.constantFrom('totp', 'hotp', 'steam', 'TOTP', 'xotp', ''),
      label: fc.oneof(name, anyText, fc.tuple(name, name).map(([a, b]) => `${a}:${b}`)),
      secret: fc.option(messySecret),
      params: fc.array(param, { maxLength: 6 }),
    }).map(({ type, label, secret, params }) =>
      `otpauth://${type}/${label}?${[...(secret === null ? [] : [`secret=${secret}`]), ...params].join('&')}`);
    expect(acceptedCount(link, parseOtpUri)).toBeGreaterThan(RUNS / 10);
  });
});

describe('validateEntryInput on random form values', () => {
  it('never throws, and accepted entries are stable and make codes', () => {
    const anything = fc.oneof(anyText, fc.integer(), fc.double(), fc.constant(undefined), fc.constant(null), fc.boolean(), fc.object({ maxDepth: 1 }));
    const field = <T,>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: anything });
    const form = fc.record({
      type: field(fc.constantFrom('totp', 'hotp', 'steam', 'TOTP', '')),
      secret: field(messySecret),
      algorithm: field(fc.constantFrom('SHA1', 'SHA256', 'SHA512', 'sha-256', '')),
      digits: field(fc.oneof(fc.integer({ min: 5, max: 9 }), fc.constantFrom('6', '7', '8', ''))),
      period: field(fc.oneof(fc.integer({ min: -1, max: 90000 }), fc.constantFrom('30', '60', ''))),
      counter: field(fc.oneof(fc.maxSafeNat(), fc.integer({ min: -5, max: 5 }), fc.constantFrom('0', '12', ''))),
      issuer: field(name),
      account: field(name),
      note: field(fc.string({ maxLength: 80 })),
      site: field(fc.oneof(fc.domain(), fc.webUrl(), fc.constantFrom('', 'github.com', 'https://www.GitHub.com/login'))),
    }, { requiredKeys: [] });
    expect(acceptedCount(form, validateEntryInput)).toBeGreaterThan(RUNS / 20);
  });
});
