import { describe, expect, it } from 'vitest';
import { parseOtpUri, toOtpUri, validateEntryInput } from '../../src/vault/otp-uri';
import type { EntryInput, ParseResult } from '../../src/vault/types';

const SECRET = 'JBSWY3DPEHPK3PXP';
const STEAM_SECRET = 'HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ';
const TOTP: EntryInput = {
  type: 'totp', secret: SECRET, algorithm: 'SHA1', digits: 6, period: 30, counter: 0, issuer: '', account: '', note: '', site: '',
};
const STEAM: EntryInput = { ...TOTP, type: 'steam', secret: STEAM_SECRET, digits: 5, issuer: 'Steam' };

function accepted(result: ParseResult): { entry: EntryInput; warnings: string[] } {
  if (!result.ok) throw new Error(`expected ok, got error: ${result.error}`);
  return { entry: result.entry, warnings: result.warnings };
}
function rejected(result: ParseResult): string {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.entry)}`);
  return result.error;
}
const parse = (uri: string) => accepted(parseOtpUri(uri));
const entryOf = (uri: string) => parse(uri).entry;
const errorOf = (uri: string) => rejected(parseOtpUri(uri));

describe('parseOtpUri accepts', () => {
  it('the canonical form', () => {
    expect(parse(`otpauth://totp/Example:alice@google.com?secret=${SECRET}&issuer=Example`)).toEqual({
      entry: { ...TOTP, issuer: 'Example', account: 'alice@google.com' }, warnings: [],
    });
  });

  it('a lower-case secret', () => {
    expect(entryOf('otpauth://totp/A:b?secret=jbswy3dpehpk3pxp').secret).toBe(SECRET);
  });
  it('a secret with = padding', () => {
    expect(entryOf('otpauth://totp/A:b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY%3D%3D%3D%3D%3D%3D').secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY');
    expect(entryOf('otpauth://totp/A:b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY======').secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY');
  });
  it('a secret grouped with encoded spaces, plus signs or raw spaces', () => {
    expect(entryOf('otpauth://totp/A:b?secret=JBSW%20Y3DP%20EHPK%203PXP').secret).toBe(SECRET);
    expect(entryOf('otpauth://totp/A:b?secret=JBSW+Y3DP+EHPK+3PXP').secret).toBe(SECRET);
    expect(entryOf('otpauth://totp/A:b?secret=jbsw y3dp ehpk 3pxp').secret).toBe(SECRET);
  });
  it('a secret grouped with dashes', () => {
    expect(entryOf('otpauth://totp/A:b?secret=JBSW-Y3DP-EHPK-3PXP').secret).toBe(SECRET);
  });
  it('no issuer parameter: the label prefix is the issuer', () => {
    expect(entryOf(`otpauth://totp/GitHub:alice?secret=${SECRET}`)).toEqual({ ...TOTP, issuer: 'GitHub', account: 'alice' });
  });
  it('an issuer parameter that differs from the label prefix: the parameter wins', () => {
    expect(entryOf(`otpauth://totp/Old%20Name:alice?secret=${SECRET}&issuer=New%20Name`)).toEqual({ ...TOTP, issuer: 'New Name', account: 'alice' });
  });
  it('an empty issuer parameter: the label prefix is used', () => {
    expect(entryOf(`otpauth://totp/GitHub:alice?secret=${SECRET}&issuer=`)).toEqual({ ...TOTP, issuer: 'GitHub', account: 'alice' });
  });
  it('the label colon written as %3A (either case)', () => {
    expect(entryOf(`otpauth://totp/GitHub%3Aalice?secret=${SECRET}`)).toEqual({ ...TOTP, issuer: 'GitHub', account: 'alice' });
    expect(entryOf(`otpauth://totp/GitHub%3aalice?secret=${SECRET}`)).toEqual({ ...TOTP, issuer: 'GitHub', account: 'alice' });
  });
  it('"Issuer:%20account", trimming the space', () => {
    expect(entryOf(`otpauth://totp/GitHub:%20alice@example.com?secret=${SECRET}&issuer=GitHub`))
      .toEqual({ ...TOTP, issuer: 'GitHub', account: 'alice@example.com' });
  });
  it('an account only label with an issuer parameter', () => {
    expect(entryOf(`otpauth://totp/alice@example.com?secret=${SECRET}&issuer=GitHub`)).toEqual({ ...TOTP, issuer: 'GitHub', account: 'alice@example.com' });
  });
  it('an account only label without issuer', () => {
    expect(entryOf(`otpauth://totp/alice@example.com?secret=${SECRET}`)).toEqual({ ...TOTP, account: 'alice@example.com' });
  });
  it('a label that is just the issuer (no account repeated as the issuer)', () => {
    expect(entryOf(`otpauth://totp/GitHub?secret=${SECRET}&issuer=GitHub`)).toEqual({ ...TOTP, issuer: 'GitHub', account: '' });
  });
  it('no label at all', () => {
    expect(entryOf(`otpauth://totp?secret=${SECRET}`)).toEqual(TOTP);
    expect(entryOf(`otpauth://totp/?secret=${SECRET}&issuer=X`)).toEqual({ ...TOTP, issuer: 'X' });
  });
  it('several colons: split after the issuer parameter when the label starts with it, else at the first', () => {
    expect(entryOf(`otpauth://totp/a:b:c?secret=${SECRET}&issuer=a:b`)).toEqual({ ...TOTP, issuer: 'a:b', account: 'c' });
    expect(entryOf(`otpauth://totp/a:b:c?secret=${SECRET}`)).toEqual({ ...TOTP, issuer: 'a', account: 'b:c' });
  });
  it('a literal + in the label as a plus (email tags), + in the issuer parameter as a space', () => {
    expect(entryOf(`otpauth://totp/Big+Corp:alice+2fa@example.com?secret=${SECRET}&issuer=Big+Corp`))
      .toEqual({ ...TOTP, issuer: 'Big Corp', account: 'alice+2fa@example.com' });
    expect(entryOf(`otpauth://totp/C%2B%2B:bob?secret=${SECRET}&issuer=C%2B%2B`)).toEqual({ ...TOTP, issuer: 'C++', account: 'bob' });
  });
  it('percent-encoded UTF-8 in labels and parameters', () => {
    expect(entryOf(`otpauth://totp/M%C3%BCller%20%26%20S%C3%B6hne:j%C3%BCrgen%40example.de?secret=${SECRET}&issuer=M%C3%BCller%20%26%20S%C3%B6hne`))
      .toEqual({ ...TOTP, issuer: 'Müller & Söhne', account: 'jürgen@example.de' });
    expect(entryOf(`otpauth://totp/%E6%97%A5%E6%9C%AC:%F0%9F%94%91?secret=${SECRET}`)).toEqual({ ...TOTP, issuer: '日本', account: '🔑' });
  });
  it('raw (unencoded) spaces and unicode', () => {
    expect(entryOf(`otpauth://totp/Big Corp:jürgen?secret=${SECRET}`)).toEqual({ ...TOTP, issuer: 'Big Corp', account: 'jürgen' });
  });
  it('a lone "%" that is not an escape, kept as written', () => {
    expect(entryOf(`otpauth://totp/100%25%20Corp:50%?secret=${SECRET}`)).toEqual({ ...TOTP, issuer: '100% Corp', account: '50%' });
  });
  it.each(['sha1', 'SHA1', 'Sha1', 'SHA-1', 'sha_1', 'HmacSHA1'])('algorithm %s as SHA1', (alg) => {
    expect(entryOf(`otpauth://totp/A:b?secret=${SECRET}&algorithm=${alg}`).algorithm).toBe('SHA1');
  });
  it.each(['sha256', 'SHA256', 'SHA-256', 'hmac-sha256'])('algorithm %s as SHA256', (alg) => {
    expect(entryOf(`otpauth://totp/A:b?secret=${SECRET}&algorithm=${alg}`).algorithm).toBe('SHA256');
  });
  it.each(['sha512', 'SHA512', 'Sha-512'])('algorithm %s as SHA512', (alg) => {
    expect(entryOf(`otpauth://totp/A:b?secret=${SECRET}&algorithm=${alg}`).algorithm).toBe('SHA512');
  });
  it.each([6, 7, 8])('%i digits', (digits) => {
    expect(entryOf(`otpauth://totp/A:b?secret=${SECRET}&digits=${digits}`).digits).toBe(digits);
  });
  it.each([1, 15, 20, 30, 50, 60, 300, 86400])('a period of %i s', (period) => {
    expect(entryOf(`otpauth://totp/A:b?secret=${SECRET}&period=${period}`).period).toBe(period);
  });
  it('defaults: SHA1, 6 digits, 30 s, also for empty values', () => {
    expect(entryOf(`otpauth://totp/A:b?secret=${SECRET}&algorithm=&digits=&period=`)).toEqual({ ...TOTP, issuer: 'A', account: 'b' });
  });
  it('hotp with a counter', () => {
    expect(parse(`otpauth://hotp/A:b?secret=${SECRET}&counter=42&digits=8&algorithm=SHA256`)).toEqual({
      entry: { ...TOTP, type: 'hotp', counter: 42, digits: 8, algorithm: 'SHA256', issuer: 'A', account: 'b' }, warnings: [],
    });
  });
  it('hotp with a counter beyond 32 bits', () => {
    expect(entryOf(`otpauth://hotp/A:b?secret=${SECRET}&counter=9007199254740991`).counter).toBe(Number.MAX_SAFE_INTEGER);
  });
  it('hotp without a counter: 0, with a warning', () => {
    expect(parse(`otpauth://hotp/A:b?secret=${SECRET}`)).toEqual({
      entry: { ...TOTP, type: 'hotp', issuer: 'A', account: 'b' }, warnings: ['No counter was given, so counting starts at 0.'],
    });
  });
  it('hotp ignores a period, totp ignores a counter', () => {
    expect(entryOf(`otpauth://hotp/A:b?secret=${SECRET}&counter=3&period=60`)).toMatchObject({ period: 30, counter: 3 });
    expect(entryOf(`otpauth://totp/A:b?secret=${SECRET}&counter=3&period=60`)).toMatchObject({ period: 60, counter: 0 });
  });
  it('type and scheme in any casing', () => {
    expect(entryOf(`otpauth://TOTP/A:b?secret=${SECRET}`).type).toBe('totp');
    expect(entryOf(`OTPAUTH://Hotp/A:b?secret=${SECRET}&counter=1`).type).toBe('hotp');
  });
  it('parameter names in any casing', () => {
    expect(entryOf(`otpauth://totp/A:b?SECRET=${SECRET}&Issuer=X&Digits=8`)).toMatchObject({ secret: SECRET, issuer: 'X', digits: 8 });
  });
  it('surrounding whitespace and line breaks', () => {
    expect(entryOf(`  \n\totpauth://totp/A:b?secret=${SECRET}\r\n `)).toEqual({ ...TOTP, issuer: 'A', account: 'b' });
  });
  it('"otpauth:" without the two slashes', () => {
    expect(entryOf(`otpauth:totp/A:b?secret=${SECRET}`)).toEqual({ ...TOTP, issuer: 'A', account: 'b' });
  });
  it('duplicate parameters: the first wins', () => {
    expect(entryOf(`otpauth://totp/A:b?secret=${SECRET}&digits=8&digits=6`).digits).toBe(8);
  });
  it('unknown parameters (Ente codeDisplay, image), even when damaged', () => {
    const uri = `otpauth://totp/A:b?secret=${SECRET}&codeDisplay=%7B%22pinned%22%3Atrue%2C%22tags%22%3A%5B%5D%7D&image=https%3A%2F%2Fx.test%2Fi.png&junk=%E0%A4&&=x&flag`;
    expect(entryOf(uri)).toEqual({ ...TOTP, issuer: 'A', account: 'b' });
  });
  it('control characters collapsed and bidi overrides removed from names', () => {
    expect(entryOf(`otpauth://totp/Evil%E2%80%AECorp:a%0A%09b?secret=${SECRET}`)).toEqual({ ...TOTP, issuer: 'EvilCorp', account: 'a b' });
  });
  it('a short secret, with a warning to check it', () => {
    expect(parse('otpauth://totp/A:b?secret=MZXW6YQ=')).toEqual({
      entry: { ...TOTP, secret: 'MZXW6YQ', issuer: 'A', account: 'b' },
      warnings: ['The secret is unusually short (7 characters): check that it was copied completely.'],
    });
  });
});

describe('parseOtpUri reads Steam', () => {
  it('as otpauth://steam/', () => {
    expect(parse(`otpauth://steam/Steam:gaben?secret=${STEAM_SECRET}&issuer=Steam`)).toEqual({ entry: { ...STEAM, account: 'gaben' }, warnings: [] });
  });
  it('as steam://SECRET (Bitwarden)', () => {
    expect(parse(`steam://${STEAM_SECRET}`)).toEqual({ entry: STEAM, warnings: [] });
    expect(entryOf(`  STEAM://${STEAM_SECRET.toLowerCase()}  `)).toEqual(STEAM);
  });
  it('as totp with encoder=steam, whatever digits, period and algorithm it claims', () => {
    expect(entryOf(`otpauth://totp/Steam:gaben?secret=${STEAM_SECRET}&encoder=steam&digits=5&period=60&algorithm=SHA512`))
      .toEqual({ ...STEAM, account: 'gaben' });
    expect(entryOf(`otpauth://totp/gaben?secret=${STEAM_SECRET}&Encoder=Steam`)).toEqual({ ...STEAM, account: 'gaben' });
  });
  it('keeping another issuer when one is given', () => {
    expect(entryOf(`otpauth://steam/Valve:gaben?secret=${STEAM_SECRET}`)).toEqual({ ...STEAM, issuer: 'Valve', account: 'gaben' });
  });
});

describe('parseOtpUri rejects, saying what is wrong', () => {
  it.each([
    ['', 'Paste an otpauth:// link.'],
    ['   ', 'Paste an otpauth:// link.'],
    ['https://example.com/2fa', 'Not an otpauth:// link: it should start with otpauth://totp/ or otpauth://hotp/.'],
    ['JBSW Y3DP EHPK 3PXP', 'Not an otpauth:// link: this looks like a bare secret key; add it with “Enter manually”.'],
    ['otpauth-migration://offline?data=CjEKCkhlbGxvId', 'This is a Google Authenticator export (otpauth-migration://): use Import instead.'],
    ['otpauth://totp/A:b?issuer=A', 'Missing secret: the link has no secret= parameter.'],
    ['otpauth://totp/A:b?secret=', 'The secret is empty.'],
    ['otpauth://totp/A:b?secret=%20-%20', 'The secret is empty.'],
    ['steam://', 'Missing secret: the steam:// link has no secret.'],
    ['otpauth://totp/A:b?secret=JBSWY3DPEHPK3PX1', "The secret contains '1', which is not a base32 character (A–Z, 2–7)."],
    ['otpauth://totp/A:b?secret=JBSWY3DPEHPK3PX0', "The secret contains '0', which is not a base32 character (A–Z, 2–7)."],
    ['otpauth://totp/A:b?secret=JBSWY3DPEHPK3PX%C3%9F', "The secret contains 'ß', which is not a base32 character (A–Z, 2–7)."],
    ['otpauth://totp/A:b?secret=JBSWY3DP%E2%80%8BEHPK3PXP', 'The secret contains U+200B, which is not a base32 character (A–Z, 2–7).'],
    ['otpauth://totp/A:b?secret=JBSWY3DPE', 'The secret has 9 characters, a length base32 cannot have: a character is probably missing or extra.'],
    [`otpauth://totp/A:b?secret=${SECRET}&algorithm=MD5`, "Unsupported algorithm 'MD5' (supported: SHA1, SHA256, SHA512)."],
    [`otpauth://totp/A:b?secret=${SECRET}&algorithm=SHA3-256`, "Unsupported algorithm 'SHA3-256' (supported: SHA1, SHA256, SHA512)."],
    [`otpauth://totp/A:b?secret=${SECRET}&digits=5`, "Unsupported number of digits '5': codes have 6, 7 or 8 digits."],
    [`otpauth://totp/A:b?secret=${SECRET}&digits=9`, "Unsupported number of digits '9': codes have 6, 7 or 8 digits."],
    [`otpauth://totp/A:b?secret=${SECRET}&digits=six`, "Unsupported number of digits 'six': codes have 6, 7 or 8 digits."],
    [`otpauth://totp/A:b?secret=${SECRET}&digits=6.5`, "Unsupported number of digits '6.5': codes have 6, 7 or 8 digits."],
    [`otpauth://totp/A:b?secret=${SECRET}&period=0`, "Invalid period '0': it must be a whole number of seconds from 1 to 86,400."],
    [`otpauth://totp/A:b?secret=${SECRET}&period=-30`, "Invalid period '-30': it must be a whole number of seconds from 1 to 86,400."],
    [`otpauth://totp/A:b?secret=${SECRET}&period=30.5`, "Invalid period '30.5': it must be a whole number of seconds from 1 to 86,400."],
    [`otpauth://totp/A:b?secret=${SECRET}&period=1e3`, "Invalid period '1e3': it must be a whole number of seconds from 1 to 86,400."],
    [`otpauth://totp/A:b?secret=${SECRET}&period=86401`, "Invalid period '86401': it must be a whole number of seconds from 1 to 86,400."],
    [`otpauth://hotp/A:b?secret=${SECRET}&counter=-1`, "Invalid counter '-1': it must be a whole number, 0 or more."],
    [`otpauth://hotp/A:b?secret=${SECRET}&counter=9007199254740992`, "Invalid counter '9007199254740992': it must be a whole number, 0 or more."],
    [`otpauth://xotp/A:b?secret=${SECRET}`, "Unsupported type 'xotp': expected totp, hotp or steam."],
    [`otpauth:///A:b?secret=${SECRET}`, 'The link has no type: expected otpauth://totp/… or otpauth://hotp/….'],
    [`otpauth://xotp/A:b?secret=${SECRET}&encoder=steam`, "Unsupported type 'xotp': expected totp, hotp or steam."],
    [`otpauth://hotp/A:b?secret=${SECRET}&encoder=steam`, 'Steam codes are time-based, but this link is counter-based (hotp) with encoder=steam.'],
    [`otpauth://totp/A:b?secret=${SECRET}&issuer=%E0%A4`, "The link’s issuer parameter contains a broken percent-escape ('%E0%A4')."],
    [`otpauth://totp/%FF:b?secret=${SECRET}`, "The link’s label contains a broken percent-escape ('%FF')."],
    [`otpauth://totp/A:b?secret=%C0%80`, "The link’s secret parameter contains a broken percent-escape ('%C0%80')."],
  ])('%j', (uri, error) => {
    expect(errorOf(uri)).toBe(error);
  });

  it('an issuer or account longer than 200 characters', () => {
    expect(errorOf(`otpauth://totp/${'a'.repeat(201)}:b?secret=${SECRET}`)).toBe('Issuer: too long (201 characters; at most 200).');
    expect(errorOf(`otpauth://totp/A:${'b'.repeat(300)}?secret=${SECRET}`)).toBe('Account: too long (300 characters; at most 200).');
    expect(entryOf(`otpauth://totp/${'a'.repeat(200)}:b?secret=${SECRET}`).issuer).toHaveLength(200);
  });
  it('a secret longer than 1024 characters', () => {
    expect(errorOf(`otpauth://totp/A:b?secret=${'A'.repeat(1032)}`)).toBe('The secret is too long (1,032 characters; at most 1,024).');
  });
  it('lone surrogates in a name or the secret', () => {
    expect(errorOf(`otpauth://totp/A:b\ud800?secret=${SECRET}`)).toBe('Account: contains an invalid character (U+D800).');
    expect(errorOf(`otpauth://totp/\udc00:b?secret=${SECRET}`)).toBe('Issuer: contains an invalid character (U+DC00).');
    expect(errorOf(`otpauth://totp/A:b?secret=JBSW\ud83dY3DPEHPK3PXP`)).toBe('The secret contains U+D83D, which is not a base32 character (A–Z, 2–7).');
  });
  it('a value shown in an error is shortened and stripped of control characters', () => {
    expect(errorOf(`otpauth://totp/A:b?secret=${SECRET}&algorithm=${'x'.repeat(40)}%0A`))
      .toBe(`Unsupported algorithm '${'x'.repeat(24)}…' (supported: SHA1, SHA256, SHA512).`);
  });
  it('huge input, quickly', () => {
    const t0 = performance.now();
    expect(errorOf('x'.repeat(1_000_000))).toBe('This is too long to be an otpauth:// link (1,000,000 characters).');
    expect(errorOf(`otpauth://totp/${'%'.repeat(1_000_000)}?secret=${SECRET}`)).toMatch(/too long/);
    expect(errorOf(`otpauth://totp/A:b?secret=${SECRET}&issuer=${'%E0'.repeat(2700)}`)).toMatch(/broken percent-escape/);
    expect(performance.now() - t0).toBeLessThan(100);
  });
  it('something that is not a string at all', () => {
    for (const value of [undefined, null, 42, {}, ['otpauth://totp/A?secret=JBSWY3DPEHPK3PXP']]) {
      expect(parseOtpUri(value as unknown as string)).toEqual({ ok: false, error: 'Paste an otpauth:// link.' });
    }
  });
});

describe('toOtpUri', () => {
  it('writes the canonical form for totp', () => {
    expect(toOtpUri({ ...TOTP, issuer: 'ACME Co', account: 'john@example.com', digits: 8, period: 60, algorithm: 'SHA256' }))
      .toBe(`otpauth://totp/ACME%20Co:john%40example.com?secret=${SECRET}&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60`);
  });
  it('writes hotp with its counter', () => {
    expect(toOtpUri({ ...TOTP, type: 'hotp', counter: 7, issuer: 'X', account: 'y' }))
      .toBe(`otpauth://hotp/X:y?secret=${SECRET}&issuer=X&algorithm=SHA1&digits=6&counter=7`);
  });
  it('writes steam as totp with encoder=steam and digits=5', () => {
    expect(toOtpUri({ ...STEAM, account: 'gaben' }))
      .toBe(`otpauth://totp/Steam:gaben?secret=${STEAM_SECRET}&issuer=Steam&encoder=steam&algorithm=SHA1&digits=5&period=30`);
  });
  it('leaves out an empty issuer, and protects an account containing ":"', () => {
    expect(toOtpUri({ ...TOTP, account: 'bob' })).toBe(`otpauth://totp/bob?secret=${SECRET}&algorithm=SHA1&digits=6&period=30`);
    expect(toOtpUri({ ...TOTP, account: 'a:b' })).toBe(`otpauth://totp/:a%3Ab?secret=${SECRET}&algorithm=SHA1&digits=6&period=30`);
  });

  const awkward = ['Müller & Söhne', '日本:銀行', 'a:b', 'what? #1', '100% + more', 'x=y&z', ' :', '🔑 keys', 'C++', '/slash/', 'naïve@例え.jp'];
  const roundTrips: EntryInput[] = [
    ...awkward.flatMap((issuer) => awkward.map((account) => ({ ...TOTP, issuer: issuer.trim(), account: account.trim() }))),
    ...awkward.map((name) => ({ ...TOTP, account: name.trim() })),
    ...awkward.map((name) => ({ ...TOTP, issuer: name.trim() })),
    { ...TOTP, type: 'hotp', counter: 123456789, algorithm: 'SHA512', digits: 8, issuer: 'Bank: ?&#%', account: 'Zoë' },
    { ...TOTP, type: 'hotp', counter: 0, issuer: '', account: '' },
    { ...STEAM, account: 'gamer: #1 & ?' },
    { ...STEAM, issuer: 'Valve % Co', account: '' },
    { ...TOTP, digits: 7, period: 15, algorithm: 'SHA256', issuer: 'x', account: '' },
  ];
  it.each(roundTrips.map((e) => [`${e.type} ${JSON.stringify(e.issuer)} / ${JSON.stringify(e.account)}`, e] as const))(
    'round-trips %s through parseOtpUri', (_, entry) => {
      expect(parse(toOtpUri(entry))).toEqual({ entry, warnings: [] });
    });
  it('leaves out note and site, which the format has no place for', () => {
    expect(entryOf(toOtpUri({ ...TOTP, issuer: 'A', note: 'backup codes in the safe', site: 'a.example' })))
      .toEqual({ ...TOTP, issuer: 'A' });
  });
});

describe('validateEntryInput (the manual form)', () => {
  // What the form sends by default: every field as text.
  const form = { type: 'totp', secret: '', issuer: '', account: '', algorithm: 'SHA1', digits: '6', period: '30', counter: '0', note: '', site: '' };

  it('accepts the form as filled in by a person', () => {
    expect(validateEntryInput({ ...form, secret: 'jbsw y3dp ehpk 3pxp', issuer: ' GitHub ', account: 'alice', note: '  recovery codes\nin the drawer ', site: 'https://www.GitHub.com/login' }))
      .toEqual({ ok: true, warnings: [], entry: { ...TOTP, issuer: 'GitHub', account: 'alice', note: 'recovery codes\nin the drawer', site: 'github.com' } });
  });
  it('accepts numbers as well as text', () => {
    expect(accepted(validateEntryInput({ secret: SECRET, digits: 8, period: 60 })).entry).toEqual({ ...TOTP, digits: 8, period: 60 });
  });
  it('fills defaults for missing and empty fields', () => {
    expect(accepted(validateEntryInput({ secret: SECRET })).entry).toEqual(TOTP);
    expect(accepted(validateEntryInput({ secret: SECRET, type: '', algorithm: '', digits: '', period: '' })).entry).toEqual(TOTP);
  });
  it('fixes what Steam fixes, whatever the hidden fields still hold', () => {
    expect(accepted(validateEntryInput({ ...form, type: 'steam', secret: STEAM_SECRET, digits: '8', period: '60', algorithm: 'SHA512' })).entry).toEqual(STEAM);
  });
  it('keeps the counter for hotp and ignores it for totp', () => {
    expect(accepted(validateEntryInput({ ...form, type: 'hotp', secret: SECRET, counter: '12', period: '60' })).entry)
      .toEqual({ ...TOTP, type: 'hotp', counter: 12 });
    expect(accepted(validateEntryInput({ ...form, secret: SECRET, counter: '12' })).entry).toEqual(TOTP);
  });
  it('gives the same errors as links for the same values (one set of rules)', () => {
    expect(rejected(validateEntryInput({ ...form, secret: SECRET, algorithm: 'MD5' }))).toBe("Unsupported algorithm 'MD5' (supported: SHA1, SHA256, SHA512).");
    expect(rejected(validateEntryInput({ ...form, secret: 'ABC1' }))).toBe("The secret contains '1', which is not a base32 character (A–Z, 2–7).");
    expect(rejected(validateEntryInput({ ...form, secret: SECRET, digits: 10 }))).toBe("Unsupported number of digits '10': codes have 6, 7 or 8 digits.");
    expect(rejected(validateEntryInput({ ...form, secret: SECRET, period: 0 }))).toBe("Invalid period '0': it must be a whole number of seconds from 1 to 86,400.");
    expect(rejected(validateEntryInput({ ...form, secret: SECRET, period: Number.NaN }))).toBe("Invalid period 'NaN': it must be a whole number of seconds from 1 to 86,400.");
    expect(rejected(validateEntryInput({ ...form, type: 'hotp', secret: SECRET, counter: -1 }))).toBe("Invalid counter '-1': it must be a whole number, 0 or more.");
    expect(rejected(validateEntryInput({ ...form, type: 'motp', secret: SECRET }))).toBe("Unsupported type 'motp': expected totp, hotp or steam.");
  });
  it('rejects a missing secret', () => {
    expect(rejected(validateEntryInput(form))).toBe('The secret is empty.');
    expect(rejected(validateEntryInput({}))).toBe('The secret is empty.');
  });
  it('rejects over-long fields', () => {
    expect(rejected(validateEntryInput({ secret: SECRET, issuer: 'i'.repeat(201) }))).toBe('Issuer: too long (201 characters; at most 200).');
    expect(rejected(validateEntryInput({ secret: SECRET, account: 'a'.repeat(201) }))).toBe('Account: too long (201 characters; at most 200).');
    expect(rejected(validateEntryInput({ secret: SECRET, note: 'n'.repeat(1001) }))).toBe('Note: too long (1,001 characters; at most 1,000).');
    expect(rejected(validateEntryInput({ secret: SECRET, issuer: 'i'.repeat(1_000_000) }))).toBe('Issuer: too long (1,000,000 characters; at most 200).');
  });
  it('rejects values that are neither text nor numbers, and no object at all', () => {
    expect(rejected(validateEntryInput({ secret: SECRET, digits: true }))).toBe('The field “digits” must be text or a number.');
    expect(rejected(validateEntryInput({ secret: { toString: () => SECRET } }))).toBe('The field “secret” must be text or a number.');
    expect(rejected(validateEntryInput(null as never))).toBe('No entry details were given.');
    expect(rejected(validateEntryInput('otpauth://totp/x' as never))).toBe('No entry details were given.');
  });

  describe('site', () => {
    const site = (value: string) => validateEntryInput({ secret: SECRET, site: value });
    it.each([
      ['github.com', 'github.com'],
      ['GitHub.com', 'github.com'],
      ['https://www.GitHub.com/login', 'github.com'],
      ['http://accounts.example.co.uk:8443/path?q=1#x', 'accounts.example.co.uk'],
      ['www.example.org/', 'example.org'],
      ['www.www.example.org', 'example.org'],
      ['www.com', 'www.com'],
      ['example.com.', 'example.com'],
      ['  gitlab.example.com  ', 'gitlab.example.com'],
      ['bücher.de', 'xn--bcher-kva.de'],
      ['192.168.1.10:8080', '192.168.1.10'],
      ['https://[::1]:8443/', '[::1]'],
      ['', ''],
      ['   ', ''],
    ])('%j gives %j', (input, host) => {
      expect(accepted(site(input)).entry.site).toBe(host);
    });
    it.each([
      ['my bank', "The site 'my bank' is not a web address; enter a domain such as github.com."],
      ['localhost', "The site 'localhost' is not a domain; enter a domain such as github.com."],
      ['a..b', "The site 'a..b' is not a domain; enter a domain such as github.com."],
      ['-bad-.com', "The site '-bad-.com' is not a domain; enter a domain such as github.com."],
      ['alice@example.com', 'The site looks like an email address; enter a domain such as github.com.'],
      ['ftp://files.example.com', 'The site must be a web address; enter a domain such as github.com.'],
      ['chrome-extension://abc/popup.html', 'The site must be a web address; enter a domain such as github.com.'],
      ['javascript:alert(1)', "The site 'javascript:alert(1)' is not a web address; enter a domain such as github.com."],
      ['x'.repeat(3000), 'The site is too long; enter a domain such as github.com.'],
    ])('rejects %j', (input, error) => {
      expect(rejected(site(input))).toBe(error);
    });
  });
});
