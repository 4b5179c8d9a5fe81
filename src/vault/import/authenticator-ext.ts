/**
 * Backup file of the "Authenticator" browser extension (authenticator.cc): one JSON object mapping
 * each entry's hash (a UUID) to { account, issuer, secret, type, counter, period, digits,
 * algorithm, pinned, index, encrypted }, where type is totp, hotp, battle (8-digit TOTP), steam,
 * hex or hhex (TOTP/HOTP with a hex secret), and a secret prefixed "stm-" or "blz-" marks Steam or
 * Battle.net. Encrypted backups (crypto-js AES under an Argon2-derived key) are not readable here.
 */
import { bytesToBase32 } from '../base32';
import type { EntryFormValues } from '../otp-uri';
import { EntryCollector, entryLabel } from './collector';
import { decodeHex } from './encoding';
import { said, unsupported } from './errors';
import { field, hasField, isRecord } from './json';
import type { JsonFormat } from './json-format';

const NAME = 'words_formatAuthenticatorExt';
const TYPES_BY_NUMBER = ['', 'totp', 'hotp', 'battle', 'steam', 'hex', 'hhex'];
const ALGORITHMS_BY_NUMBER = ['', 'SHA1', 'SHA256', 'SHA512'];

const isEntry = (v: unknown): boolean => isRecord(v) && (hasField(v, 'secret') || field(v, 'dataType') === 'EncOTPStorage');
const isEncrypted = (v: unknown): boolean => field(v, 'encrypted') === true || field(v, 'dataType') === 'EncOTPStorage';

export const authenticatorExtension: JsonFormat = {
  name: NAME,
  matches: (doc) => isRecord(doc) && Object.values(doc).some(isEntry),
  read(doc) {
    const items = Object.entries(doc as Record<string, unknown>).filter(([, value]) => isEntry(value));
    const plain = items.filter(([, value]) => !isEncrypted(value));
    if (plain.length === 0) {
      throw unsupported('importErr_authEncrypted');
    }
    // The extension orders entries by their index field.
    const byIndex = (v: unknown): number => (Number.isFinite(field(v, 'index')) ? (field(v, 'index') as number) : Infinity);
    const ordered = items.map(([, value], i) => ({ value, i })).sort((a, b) => byIndex(a.value) - byIndex(b.value) || a.i - b.i);
    const collector = new EntryCollector();
    ordered.forEach(({ value }, n) => {
      const label = entryLabel(field(value, 'issuer'), field(value, 'account'), () => said('importErr_labelEntry', n + 1));
      if (isEncrypted(value)) {
        collector.reject(label, said('importErr_authEntryEncrypted'));
        return;
      }
      const values = toEntryValues(value);
      if (typeof values === 'string') collector.reject(label, values);
      else collector.add(values, { sourceLabel: label, pinned: field(value, 'pinned') === true });
    });
    return collector.result(NAME);
  },
};

/** The entry's values, or why it cannot be read. */
function toEntryValues(entry: unknown): EntryFormValues | string {
  let secret = field(entry, 'secret');
  let type = field(entry, 'type');
  if (typeof type === 'number' || /^\d+$/.test(String(type))) type = TYPES_BY_NUMBER[Number(type)];
  if (type === undefined || type === '') type = 'totp';
  if (typeof secret === 'string') {
    const prefix = /^(stm|blz|bliz)-/i.exec(secret);
    if (prefix) {
      type = prefix[1]!.toLowerCase() === 'stm' ? 'steam' : 'battle';
      secret = secret.slice(prefix[0].length);
    }
  }
  if (type === 'hex' || type === 'hhex') {
    const bytes = typeof secret === 'string' ? decodeHex(secret.replace(/\s+/g, '')) : null;
    if (!bytes || bytes.length === 0) return said('importErr_hexSecret');
    secret = bytesToBase32(bytes);
    type = type === 'hex' ? 'totp' : 'hotp';
  }
  let algorithm = field(entry, 'algorithm');
  if (typeof algorithm === 'number' || /^\d+$/.test(String(algorithm))) algorithm = ALGORITHMS_BY_NUMBER[Number(algorithm)];
  if (typeof algorithm === 'string' && /^GOST/i.test(algorithm)) return said('importErr_gost');
  const values: EntryFormValues = {
    type, secret, algorithm, digits: field(entry, 'digits'), period: field(entry, 'period'), counter: field(entry, 'counter'),
    issuer: field(entry, 'issuer'), account: field(entry, 'account'),
  };
  // Battle.net codes are 8-digit SHA1 TOTP codes.
  if (type === 'battle') Object.assign(values, { type: 'totp', digits: 8, algorithm: 'SHA1' });
  if (typeof values.type !== 'string') return said('importErr_entryType', JSON.stringify(String(field(entry, 'type')).slice(0, 20)));
  return values;
}
