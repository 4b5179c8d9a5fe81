/**
 * Where the access tokens of Revoke's own sign-ins (Matrix) live: storage.session, like the
 * unlocked vault key: in memory only, never written to disk, readable only by the extension's
 * worker and pages (pages never ask), and emptied when the browser closes. Then the account reads
 * "signed out" and the person signs in again (docs/design.md, "Accounts Revoke signs in to").
 */
import type { AccountToken } from '../connectors/types';
import type { SessionArea } from './clipboard';

const PREFIX = 'accountToken:';

export function sessionAccountTokens(session: SessionArea) {
  return {
    forAccount(accountId: string): AccountToken {
      const key = `${PREFIX}${accountId}`;
      return {
        async get() {
          const v = (await session.get(key))[key];
          return typeof v === 'string' && v !== '' ? v : null;
        },
        set: (token) => session.set({ [key]: token }),
        clear: () => session.remove(key),
      };
    },
  };
}
