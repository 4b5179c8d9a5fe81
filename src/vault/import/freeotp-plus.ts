/**
 * FreeOTP+ JSON export: { tokens: [{ algo, counter, digits, issuerExt, issuerInt, label, period,
 * secret: [signed bytes], type: TOTP | HOTP }], tokenOrder: ["issuer:label", ...] }. Counters are
 * taken as written (FreeOTP stores the counter of the next code).
 */
import { bytesToBase32 } from '../base32';
import { EntryCollector, entryLabel } from './collector';
import { said } from './errors';
import { field, hasField, isRecord } from './json';
import type { JsonFormat } from './json-format';

const NAME = 'words_formatFreeOtpPlus';

export const freeOtpPlus: JsonFormat = {
  name: NAME,
  matches: (doc) => isRecord(doc) && Array.isArray(field(doc, 'tokens')) && !hasField(doc, 'schemaVersion'),
  read(doc) {
    const tokens = inDisplayOrder(field(doc, 'tokens') as unknown[], field(doc, 'tokenOrder'));
    const collector = new EntryCollector();
    tokens.forEach((token, i) => {
      const issuer = field(token, 'issuerExt') || field(token, 'issuerInt');
      const label = entryLabel(issuer, field(token, 'label'), () => said('importErr_labelToken', i + 1));
      const secret = secretBytes(field(token, 'secret'));
      if (!secret) {
        collector.reject(label, said('importErr_secretNotBytes'));
        return;
      }
      collector.add({
        type: field(token, 'type'), secret: bytesToBase32(secret), algorithm: field(token, 'algo'), digits: field(token, 'digits'),
        period: field(token, 'period'), counter: field(token, 'counter'), issuer, account: field(token, 'label'),
      }, { sourceLabel: label });
    });
    return collector.result(NAME);
  },
};

/** Java bytes are signed (-128..127); unsigned values are accepted too. */
function secretBytes(value: unknown): Uint8Array | null {
  if (!Array.isArray(value) || value.length === 0 || value.length > 1024) return null;
  if (!value.every((b) => Number.isInteger(b) && b >= -128 && b <= 255)) return null;
  return Uint8Array.from(value as number[], (b) => b & 0xff);
}

/** Tokens sorted as tokenOrder lists them ("issuer:label"); tokens it does not name keep their place at the end. */
function inDisplayOrder(tokens: unknown[], order: unknown): unknown[] {
  if (!Array.isArray(order)) return tokens;
  const rank = new Map<string, number>();
  order.forEach((key, i) => {
    if (typeof key === 'string' && !rank.has(key)) rank.set(key, i);
  });
  // FreeOTP keys a token by "issuerInt:label", or just the label when there is no issuer.
  const keyOf = (t: unknown): string => {
    const issuer = String(field(t, 'issuerInt') ?? '');
    const label = String(field(t, 'label') ?? '');
    return issuer ? `${issuer}:${label}` : label;
  };
  const position = (t: unknown): number => rank.get(keyOf(t)) ?? Infinity;
  return tokens.map((t, i) => ({ t, i })).sort((a, b) => position(a.t) - position(b.t) || a.i - b.i).map(({ t }) => t);
}
