import { describe, expect, it } from 'vitest';
import { base32Error, base32ToBytes, bytesToBase32, normalizeBase32 } from '../../src/vault/base32';
import { generateCode, secondsRemaining, type CodeParams } from '../../src/vault/codes';

const ascii = (s: string) => new TextEncoder().encode(s);
const base32Of = (s: string) => bytesToBase32(ascii(s));

describe('base32', () => {
  // RFC 4648 section 10, without padding.
  const vectors: [string, string][] = [
    ['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI'],
  ];
  it.each(vectors)('encodes %j as %j', (text, encoded) => {
    expect(bytesToBase32(ascii(text))).toBe(encoded);
  });
  it.each(vectors.filter(([text]) => text))('decodes %j back from %j, padded or not', (text, encoded) => {
    expect(new TextDecoder().decode(base32ToBytes(encoded))).toBe(text);
    expect(new TextDecoder().decode(base32ToBytes(`${encoded.toLowerCase()}====`))).toBe(text);
  });
  it('round-trips every byte value at every length up to 40', () => {
    for (let n = 1; n <= 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 0xff);
      expect(base32ToBytes(bytesToBase32(bytes))).toEqual(bytes);
    }
  });
  it('normalises spaces, dashes, padding and case without touching non-ASCII letters', () => {
    expect(normalizeBase32(' jbsw y3dp-ehpk\u00a03pxp\t== ')).toBe('JBSWY3DPEHPK3PXP');
    expect(normalizeBase32('ß')).toBe('ß');
  });
  it('names what is wrong', () => {
    expect(base32Error('')).toBe('The secret is empty.');
    expect(base32Error('JBSWY3DPEHPK3PX1')).toBe("The secret contains '1', which is not a base32 character (A–Z, 2–7).");
    expect(base32Error('JBSW\u200bY3DP')).toContain('U+200B');
    expect(base32Error('JBSWY3DPE')).toMatch(/9 characters, a length base32 cannot have/);
    expect(base32Error('JBSWY3DPEHPK3PXP')).toBeNull();
  });
  it('refuses to decode an invalid secret, saying why', () => {
    expect(() => base32ToBytes('ABC1')).toThrow("'1'");
  });
});

const RFC4226_SECRET = base32Of('12345678901234567890');

describe('HOTP (RFC 4226 appendix D)', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  it.each(expected.map((code, counter) => [counter, code]))('counter %i gives %s', (counter, code) => {
    const entry: CodeParams = { type: 'hotp', secret: RFC4226_SECRET, algorithm: 'SHA1', digits: 6, period: 30, counter };
    expect(generateCode(entry, 0)).toBe(code);
  });
});

describe('TOTP (RFC 6238 appendix B)', () => {
  const seeds = {
    SHA1: base32Of('12345678901234567890'),
    SHA256: base32Of('12345678901234567890123456789012'),
    SHA512: base32Of('1234567890'.repeat(7).slice(0, 64)),
  } as const;
  const table: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  const cases = table.flatMap(([t, sha1, sha256, sha512]) => [
    [t, 'SHA1', sha1], [t, 'SHA256', sha256], [t, 'SHA512', sha512],
  ] as const);
  it.each(cases)('T=%i %s gives %s', (t, algorithm, code) => {
    const entry: CodeParams = { type: 'totp', secret: seeds[algorithm], algorithm, digits: 8, period: 30, counter: 0 };
    expect(generateCode(entry, t * 1000)).toBe(code);
    // Milliseconds within the same second do not change the code.
    expect(generateCode(entry, t * 1000 + 999)).toBe(code);
  });
});

describe('Steam Guard', () => {
  const steam: CodeParams = { type: 'steam', secret: 'HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ', algorithm: 'SHA1', digits: 5, period: 30, counter: 0 };
  it('gives the published code for 2023-01-01T00:00:00Z', () => {
    expect(generateCode(steam, Date.parse('2023-01-01T00:00:00Z'))).toBe('7W6CJ');
  });
  it('stays within its 5-character alphabet and changes every 30 s', () => {
    const start = Date.parse('2023-01-01T00:00:00Z');
    const codes = Array.from({ length: 50 }, (_, i) => generateCode(steam, start + i * 30_000));
    for (const code of codes) expect(code).toMatch(/^[23456789BCDFGHJKMNPQRTVWXY]{5}$/);
    expect(generateCode(steam, start + 29_999)).toBe('7W6CJ');
    expect(new Set(codes).size).toBeGreaterThan(45);
  });
  it('ignores the digits, period and algorithm an entry claims', () => {
    const odd = { ...steam, digits: 8, period: 60, algorithm: 'SHA512' } as const;
    expect(generateCode(odd, Date.parse('2023-01-01T00:00:00Z'))).toBe('7W6CJ');
  });
});

describe('secondsRemaining', () => {
  it.each([
    [30, 0, 30], [30, 1_000, 29], [30, 29_000, 1], [30, 29_999, 1], [30, 30_000, 30], [30, 59_500, 1],
    [60, 59_000, 1], [60, 61_000, 59], [15, 1_700_000_000_000, 10], [1, 123_456, 1],
  ])('period %i at %i ms leaves %i s', (period, now, left) => {
    expect(secondsRemaining(period, now)).toBe(left);
  });
});

describe('generateCode', () => {
  const totp: CodeParams = { type: 'totp', secret: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA1', digits: 6, period: 30, counter: 0 };
  it('keeps giving right codes after the secret cache has evicted entries', () => {
    const now = 1_700_000_000_000;
    const before = generateCode(totp, now);
    for (let i = 0; i < 700; i++) generateCode({ ...totp, secret: bytesToBase32(Uint8Array.of(i >> 8, i & 255, 1, 2, 3)) }, now);
    expect(generateCode(totp, now)).toBe(before);
  });
  it('throws for a secret that is not base32, a time before 1970 and a period below 1 s', () => {
    expect(() => generateCode({ ...totp, secret: 'NOT-BASE32-1' }, 0)).toThrow(/not a base32 character/);
    expect(() => generateCode(totp, -1)).toThrow(RangeError);
    expect(() => generateCode(totp, Number.NaN)).toThrow(RangeError);
    expect(() => generateCode({ ...totp, period: 0 }, 0)).toThrow(RangeError);
  });
});
