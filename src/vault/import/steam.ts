/**
 * Steam Guard secrets as Steam Desktop Authenticator and similar tools save them: a .maFile
 * ({ shared_secret, account_name, ... }) or a map of them ({ accounts: { id: {...} } }).
 * shared_secret is base64; everything else in the file (identity secret, revocation code) is not
 * needed for codes and is not kept.
 */
import { bytesToBase32 } from '../base32';
import { EntryCollector, entryLabel } from './collector';
import { said } from './errors';
import { decodeBase64 } from './encoding';
import { field, hasField, isRecord } from './json';
import type { JsonFormat } from './json-format';

const NAME = 'words_formatSteam';

const isAccount = (v: unknown): boolean => isRecord(v) && hasField(v, 'shared_secret');

export const steamGuard: JsonFormat = {
  name: NAME,
  matches: (doc) => isAccount(doc) || (isRecord(field(doc, 'accounts')) && Object.values(field(doc, 'accounts') as object).some(isAccount)),
  read(doc) {
    const accounts = isAccount(doc) ? [doc] : Object.values(field(doc, 'accounts') as object).filter(isAccount);
    const collector = new EntryCollector();
    accounts.forEach((account, i) => {
      const name = field(account, 'account_name');
      const label = entryLabel('Steam', name, () => said('importErr_labelAccount', i + 1));
      const shared = field(account, 'shared_secret');
      const secret = typeof shared === 'string' ? decodeBase64(shared) : null;
      if (!secret || secret.length === 0) {
        collector.reject(label, said('importErr_steamSecret'));
        return;
      }
      collector.add({ type: 'steam', secret: bytesToBase32(secret), issuer: 'Steam', account: name }, { sourceLabel: label });
    });
    return collector.result(NAME);
  },
};
