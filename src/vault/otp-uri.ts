/**
 * Reading and writing otpauth:// links, and the validation rules every entry passes, whether it
 * comes from a link or the manual form. Tolerant of what real sites and apps emit (see
 * docs/authenticator.md), strict about anything that would give wrong codes. Never throws.
 */
import { base32Problem, describeChar, normalizeBase32 } from './base32';
import { say, t, type MessageKey, type Said, type Sub } from '../i18n/t';
import type { EntryInput, OtpAlgorithm, OtpType, ParseResult } from './types';

export const LIMITS = {
  /** A QR code holds at most about 3 KB, so anything longer is not a real link. */
  uriChars: 8192,
  secretChars: 1024,
  issuerChars: 200,
  accountChars: 200,
  noteChars: 1000,
  /** Below this (80 bits) a secret was probably copied incompletely. */
  shortSecretChars: 16,
  maxPeriod: 86400,
} as const;

/** Values as the manual form (or any untrusted message) sends them. */
export type EntryFormValues = Partial<Record<keyof EntryInput, unknown>>;

/** Field values still as text, before validation. Absent or empty means "use the default". */
interface RawFields {
  type?: string;
  secret: string;
  algorithm?: string;
  digits?: string;
  period?: string;
  counter?: string;
  issuer?: string;
  account?: string;
  note?: string;
  site?: string;
}

/** A reason the input is unusable, as a sentence for the person; thrown inside this module only, returned as `{ ok: false }`. */
class InvalidInput extends Error {
  constructor(readonly said: Said) {
    super(said && 'key' in said ? said.key : 'invalid');
  }
}

const invalid = (key: MessageKey, ...subs: Sub[]) => new InvalidInput({ key, subs });

function guarded(parse: () => ParseResult): ParseResult {
  try {
    return parse();
  } catch (e) {
    return { ok: false, error: say(e instanceof InvalidInput ? e.said : { key: 'otpInput_unreadable' }) };
  }
}

// ---------------------------------------------------------------------------------------------
// Validation shared by links and the form

/** The entry a link or form describes, normalised, or the first problem found. */
function buildEntry(f: RawFields): ParseResult {
  const warnings: string[] = [];
  const type = parseType(f.type);
  const secret = parseSecret(f.secret, warnings);
  const timing = parseTiming(type, f, warnings);
  const issuer = cleanLine(f.issuer, 'issuer', LIMITS.issuerChars) || (type === 'steam' ? 'Steam' : '');
  const account = cleanLine(f.account, 'account', LIMITS.accountChars);
  const entry: EntryInput = { type, secret, ...timing, issuer, account, note: cleanNote(f.note), site: normalizeSite(f.site ?? '') };
  return { ok: true, entry, warnings };
}

type Timing = Pick<EntryInput, 'algorithm' | 'digits' | 'period' | 'counter'>;

/** Algorithm, digits and the moving factor; fields a type does not use get fixed values. */
function parseTiming(type: OtpType, f: RawFields, warnings: string[]): Timing {
  // Steam Guard fixes everything but the secret; whatever else a link or form says is moot.
  if (type === 'steam') return { algorithm: 'SHA1', digits: 5, period: 30, counter: 0 };
  const algorithm = parseAlgorithm(f.algorithm);
  const digits = parseWhole(f.digits, 6);
  if (digits === null || digits < 6 || digits > 8) {
    throw invalid('otpInput_digits', quote(f.digits ?? ''));
  }
  if (type === 'hotp') {
    if (isBlank(f.counter)) warnings.push(t('otpInput_noCounter'));
    const counter = parseWhole(f.counter, 0);
    if (counter === null) throw invalid('otpInput_counter', quote(f.counter ?? ''));
    return { algorithm, digits, period: 30, counter };
  }
  const period = parseWhole(f.period, 30);
  if (period === null || period < 1 || period > LIMITS.maxPeriod) {
    throw invalid('otpInput_period', quote(f.period ?? ''), LIMITS.maxPeriod);
  }
  return { algorithm, digits, period, counter: 0 };
}

function parseType(raw: string | undefined): OtpType {
  if (isBlank(raw)) return 'totp';
  const type = raw.trim().toLowerCase();
  if (type === 'totp' || type === 'hotp' || type === 'steam') return type;
  throw invalid('otpInput_type', quote(raw));
}

function parseSecret(raw: string, warnings: string[]): string {
  const secret = normalizeBase32(raw);
  if (secret.length > LIMITS.secretChars) {
    throw invalid('otpInput_secretLong', secret.length, LIMITS.secretChars);
  }
  const problem = base32Problem(secret);
  if (problem) throw new InvalidInput(problem);
  if (secret.length < LIMITS.shortSecretChars) {
    warnings.push(t('otpInput_secretShort', secret.length));
  }
  return secret;
}

function parseAlgorithm(raw: string | undefined): OtpAlgorithm {
  if (isBlank(raw)) return 'SHA1';
  // Seen in the wild: sha256, SHA-256, HmacSHA256.
  const name = raw.toUpperCase().replace(/[\s\-_]/g, '').replace(/^HMAC/, '');
  if (name === 'SHA1' || name === 'SHA256' || name === 'SHA512') return name;
  throw invalid('otpInput_algorithm', quote(raw));
}

/** A non-negative safe integer written plainly (no sign, point or exponent); `fallback` when blank, null when not one. */
function parseWhole(raw: string | undefined, fallback: number): number | null {
  if (isBlank(raw)) return fallback;
  const text = raw.trim();
  const value = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(value) ? value : null;
}

function isBlank(raw: string | undefined): raw is undefined {
  return raw === undefined || raw.trim() === '';
}

// Bidi controls can make a name display as something else ("evil" shown as "live").
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g;
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** The fields whose text is checked, by the name the form shows. */
type TextField = 'issuer' | 'account' | 'note';
const FIELD_NAME: Record<TextField, MessageKey> = { issuer: 'otpInput_fieldIssuer', account: 'otpInput_fieldAccount', note: 'otpInput_fieldNote' };

function checkWellFormed(text: string, field: TextField): void {
  const lone = LONE_SURROGATE.exec(text);
  if (lone) throw invalid('otpInput_badChar', t(FIELD_NAME[field]), describeChar(lone[0]));
}

/** One line of display text: trimmed, inner whitespace and control characters collapsed to one space. */
function cleanLine(raw: string | undefined, field: TextField, max: number): string {
  if (raw === undefined) return '';
  checkWellFormed(raw, field);
  const text = raw.replace(BIDI_CONTROLS, '').replace(CONTROL_CHARS, ' ').replace(/\s+/g, ' ').trim();
  if (text.length > max) throw invalid('otpInput_fieldLong', t(FIELD_NAME[field]), text.length, max);
  return text;
}

/** Notes may span lines; other control characters go. */
function cleanNote(raw: string | undefined): string {
  if (raw === undefined) return '';
  checkWellFormed(raw, 'note');
  const text = raw.replace(BIDI_CONTROLS, '').replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, ' ').trim();
  if (text.length > LIMITS.noteChars) throw invalid('otpInput_fieldLong', t(FIELD_NAME.note), text.length, LIMITS.noteChars);
  return text;
}

/** Shows a user-supplied value inside an error message: short and with nothing invisible. */
function quote(raw: string): string {
  const chars = [...raw.trim().slice(0, 50).replace(CONTROL_CHARS, ' ').replace(LONE_SURROGATES, '\ufffd')];
  return `'${chars.length > 24 ? `${chars.slice(0, 24).join('')}…` : chars.join('')}'`;
}

/**
 * The hostname codes are listed under: "https://www.GitHub.com/login" and "github.com" both give
 * "github.com". Empty input means no site. IP addresses are kept for self-hosted services.
 */
export function normalizeSite(raw: string): string {
  const text = raw.trim();
  if (!text) return '';
  if (text.length > 2048) throw invalid('otpInput_siteLong');
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  if (hasScheme && !/^https?:\/\//i.test(text)) throw invalid('otpInput_siteScheme');
  if (!hasScheme && text.includes('@')) throw invalid('otpInput_siteEmail');
  let host: string;
  try {
    host = new URL(hasScheme ? text : `https://${text}`).hostname.toLowerCase();
  } catch {
    throw invalid('otpInput_siteNotAddress', quote(text));
  }
  host = host.replace(/\.$/, '').replace(/^(www\.)+(?=[^.]+\.)/, '');
  const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
  const ipv6 = host.startsWith('[');
  const label = '(?!-)[a-z0-9-]{1,63}(?<!-)';
  const domain = new RegExp(`^(${label}\\.)+${label}$`).test(host) && !/\.\d+$/.test(host);
  if (!(ipv4 || ipv6 || domain)) throw invalid('otpInput_siteNotDomain', quote(text));
  return host;
}

// ---------------------------------------------------------------------------------------------
// The manual form

/** Validates what the manual "add entry" form (or an edit) sends, with the same rules as links. */
export function validateEntryInput(raw: EntryFormValues): ParseResult {
  return guarded(() => {
    if (typeof raw !== 'object' || raw === null) throw invalid('otpInput_noDetails');
    const field = (name: keyof EntryInput): string | undefined => {
      const value = raw[name];
      if (value === undefined || value === null) return undefined;
      if (typeof value === 'string') return value;
      if (typeof value === 'number') return String(value);
      throw invalid('otpInput_fieldType', name);
    };
    return buildEntry({
      type: field('type'), secret: field('secret') ?? '', algorithm: field('algorithm'), digits: field('digits'),
      period: field('period'), counter: field('counter'), issuer: field('issuer'), account: field('account'),
      note: field('note'), site: field('site'),
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Links

/**
 * Reads `otpauth://totp|hotp|steam/LABEL?...` (with `encoder=steam` meaning Steam) and `steam://SECRET`.
 * `site` is always empty: links carry no trustworthy domain; the user sets it.
 */
export function parseOtpUri(text: string): ParseResult {
  return guarded(() => parseUri(text));
}

function parseUri(input: unknown): ParseResult {
  if (typeof input !== 'string') throw invalid('otpInput_pasteLink');
  if (input.length > LIMITS.uriChars) {
    throw invalid('otpInput_linkLong', input.length);
  }
  const text = input.trim();
  if (!text) throw invalid('otpInput_pasteLink');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'steam') return parseSteamLink(text.slice('steam:'.length));
  if (scheme === 'otpauth-migration') {
    throw invalid('otpInput_migration');
  }
  if (scheme !== 'otpauth') {
    const bareSecret = base32Problem(normalizeBase32(text)) === null;
    throw bareSecret ? invalid('otpInput_bareSecret', t('entry_enterManually')) : invalid('otpInput_notLink');
  }

  // Tolerates "otpauth:totp/…" as well as "otpauth://totp/…".
  const rest = text.slice('otpauth:'.length).replace(/^\/{1,2}/, '');
  const [path, query] = splitOnce(rest, '?');
  const [typeText, labelText] = splitOnce(path, '/');
  const params = queryParams(query ?? '');
  const typeName = percentDecode(typeText, 'type').trim().toLowerCase();
  if (!typeName) throw invalid('otpInput_noType');

  let type = typeName;
  if (params.get('encoder')?.trim().toLowerCase() === 'steam') {
    if (typeName === 'hotp') throw invalid('otpInput_steamHotp');
    if (typeName === 'totp') type = 'steam';
  }
  const secret = params.get('secret');
  if (secret === undefined) throw invalid('otpInput_noSecret');
  const { issuer, account } = splitLabel(percentDecode(labelText ?? '', 'label'), params.get('issuer'));
  return buildEntry({
    type, secret, issuer, account,
    algorithm: params.get('algorithm'), digits: params.get('digits'),
    period: params.get('period'), counter: params.get('counter'),
  });
}

/** Bitwarden's `steam://SECRET`. */
function parseSteamLink(rest: string): ParseResult {
  const secret = percentDecode(rest.replace(/^\/{0,2}/, '').split(/[?#/]/)[0] ?? '', 'secret');
  if (!secret.trim()) throw invalid('otpInput_noSteamSecret');
  return buildEntry({ type: 'steam', secret });
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * Query parameters by lower-cased name; the first of duplicates wins (as URLSearchParams.get does).
 * Values are decoded only when asked for, so damage in a parameter we ignore (image=…) is harmless.
 */
function queryParams(query: string): { get(name: string): string | undefined } {
  const raw = new Map<string, string>();
  for (const pair of query.split('&')) {
    const [name, value = ''] = splitOnce(pair, '=');
    const key = name.trim().toLowerCase();
    if (key && !raw.has(key)) raw.set(key, value);
  }
  return {
    // In query values "+" means a space (form encoding); a real plus arrives as %2B.
    get: (name) => {
      const value = raw.get(name);
      return value === undefined ? undefined : percentDecode(value.replace(/\+/g, ' '), `${name} parameter`);
    },
  };
}

/**
 * LABEL is "issuer:account" or just "account". The issuer parameter wins over the label prefix;
 * when the label starts with that issuer, the whole issuer is cut off even if it contains a colon.
 */
function splitLabel(label: string, issuerParam: string | undefined): { issuer: string; account: string } {
  const issuer = (issuerParam ?? '').trim();
  if (issuer && label.startsWith(`${issuer}:`)) return { issuer, account: label.slice(issuer.length + 1) };
  const [prefix, account] = splitOnce(label, ':');
  if (account === undefined) {
    // "otpauth://totp/GitHub?issuer=GitHub": the label is the issuer, not an account name.
    return { issuer, account: issuer && label.trim() === issuer ? '' : label };
  }
  return { issuer: issuer || prefix, account };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Percent-decoding without decodeURIComponent's URIError: a "%" not followed by two hex digits is
 * kept as written (sloppy emitters write "100%"); escapes that are not valid UTF-8 are an
 * InvalidInput naming where they are, since the name or secret they spell is damaged.
 */
function percentDecode(text: string, where: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    try {
      return utf8.decode(bytes);
    } catch {
      throw invalid('otpInput_badEscape', where, quote(run));
    }
  });
}

/** encodeURIComponent throws on lone surrogates; validated entries have none, but this must not throw. */
const encode = (text: string): string => encodeURIComponent(text.replace(LONE_SURROGATES, '\ufffd'));

/**
 * The canonical link for an entry, read back by `parseOtpUri` to the same entry (note and site are
 * not part of the format and are left out). Steam is written as `otpauth://totp/…&encoder=steam`
 * with digits=5: the dialect KeePassXC and others read, and one that apps without Steam support
 * still import as a TOTP entry rather than reject.
 */
export function toOtpUri(entry: EntryInput): string {
  const { issuer, account } = entry;
  // An account containing ":" needs an (empty) issuer prefix, or its first part would become the issuer.
  const label = issuer ? `${encode(issuer)}:${encode(account)}` : account.includes(':') ? `:${encode(account)}` : encode(account);
  const params = [`secret=${entry.secret}`];
  if (issuer) params.push(`issuer=${encode(issuer)}`);
  if (entry.type === 'steam') {
    params.push('encoder=steam', 'algorithm=SHA1', 'digits=5', 'period=30');
    return `otpauth://totp/${label}?${params.join('&')}`;
  }
  params.push(`algorithm=${entry.algorithm}`, `digits=${entry.digits}`);
  params.push(entry.type === 'hotp' ? `counter=${entry.counter}` : `period=${entry.period}`);
  return `otpauth://${entry.type}/${label}?${params.join('&')}`;
}
