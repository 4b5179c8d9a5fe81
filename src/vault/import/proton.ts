/**
 * Proton Authenticator plain JSON export: { version, entries: [{ content: { uri, entry_type, name },
 * note }] }. The uri is an otpauth:// or steam:// link; content.name is the account name the user sees.
 */
import { EntryCollector, entryLabel } from './collector';
import { said } from './errors';
import { field, isRecord } from './json';
import type { JsonFormat } from './json-format';

const NAME = 'words_formatProton';

export const protonAuthenticator: JsonFormat = {
  name: NAME,
  matches: (doc) => isRecord(doc) && Array.isArray(field(doc, 'entries')) && (field(doc, 'entries') as unknown[]).some((e) => isRecord(field(e, 'content'))),
  read(doc) {
    const collector = new EntryCollector();
    (field(doc, 'entries') as unknown[]).forEach((entry, i) => {
      const content = field(entry, 'content');
      const name = field(content, 'name');
      const note = field(entry, 'note');
      collector.addLink(field(content, 'uri'), { sourceLabel: entryLabel('', name, () => said('importErr_labelEntry', i + 1)) }, {
        override: { account: typeof name === 'string' ? name : undefined, note: typeof note === 'string' ? note : undefined },
      });
    });
    return collector.result(NAME);
  },
};
