/**
 * andOTP plain JSON backup: an array of { secret, issuer, label, digits, type: TOTP | HOTP | STEAM
 * | MOTP, algorithm, period, counter, tags }. Encrypted andOTP backups (.json.aes) are binary and
 * are not read here.
 */
import { EntryCollector, entryLabel } from './collector';
import { said } from './errors';
import { field, hasField, isRecord } from './json';
import type { JsonFormat } from './json-format';

const NAME = 'words_formatAndOtp';

export const andOtp: JsonFormat = {
  name: NAME,
  matches: (doc) => Array.isArray(doc) && doc.length > 0 && doc.some((e) => isRecord(e) && hasField(e, 'secret') && hasField(e, 'type')),
  read(doc) {
    const collector = new EntryCollector();
    (doc as unknown[]).forEach((entry, i) => {
      const label = entryLabel(field(entry, 'issuer'), field(entry, 'label'), () => said('importErr_labelEntry', i + 1));
      const type = field(entry, 'type');
      if (typeof type === 'string' && type.toUpperCase() === 'MOTP') {
        collector.reject(label, said('importErr_codesUnsupported', 'mOTP'));
        return;
      }
      collector.add({
        type, secret: field(entry, 'secret'), algorithm: field(entry, 'algorithm'), digits: field(entry, 'digits'),
        period: field(entry, 'period'), counter: field(entry, 'counter'), issuer: field(entry, 'issuer'), account: field(entry, 'label'),
      }, { sourceLabel: label });
    });
    return collector.result(NAME);
  },
};
