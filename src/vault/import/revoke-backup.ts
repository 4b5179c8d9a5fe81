/** Revoke's own backup, read as an import: entries keep pins, notes and sites, and pass the same validation as any import. */
import { checkBackupFile, decryptBackup, isRevokeBackup } from '../backup';
import { EntryCollector, entryLabel } from './collector';
import { said } from './errors';
import type { EntryFormValues } from '../otp-uri';
import { field } from './json';
import { needsPassword, type JsonFormat } from './json-format';

const NAME = 'words_formatRevokeBackup';

export const revokeBackup: JsonFormat = {
  name: NAME,
  matches: isRevokeBackup,
  async read(doc, { password }) {
    // Check the header first, so a newer or damaged backup says so before a password is asked for.
    checkBackupFile(doc);
    if (!password) return needsPassword(NAME);
    const { entries } = await decryptBackup(doc, password);
    const collector = new EntryCollector();
    entries.forEach((entry, i) => {
      const pinned = field(entry, 'pinned');
      collector.add(entry as EntryFormValues, {
        sourceLabel: entryLabel(field(entry, 'issuer'), field(entry, 'account'), () => said('importErr_labelEntry', i + 1)),
        pinned: typeof pinned === 'boolean' ? pinned : undefined,
      });
    });
    return collector.result(NAME, true);
  },
};
