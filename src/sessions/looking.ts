/**
 * Looking: who is signed in to each linked account and which sessions exist, each account in
 * parallel under one time limit, every result stored for the pages (and for "new" sessions).
 */
import { type Connector, type ConnectorContext, type Session, type SessionList, type WhoAmI } from '../connectors/types';
import { say, type Said } from '../i18n/t';
import { canList, checkSessionList, checkWhoami, isSignedOutError, markCurrent } from './checks';
import { direct, failure, withTimeout, type Call } from './outcomes';
import { early } from '../connectors/common';
import { withSharedReads } from '../connectors/shared-reads';
import { MAX_SEEN_IDS } from './new-sessions';
import { readAccounts, readAccountsWithCache, storeChecks, storeSeen, toCachedStatus, type CacheRecord } from './db';
import { batched } from './batch';
import { SessionsError, type AccountResult, type AccountStatus, type LastCheck, type LinkedAccount } from './types';
import type { SessionEngine } from './engine';
import type { EngineCore, Observation } from './engine-core';

export type Looking = ReturnType<typeof createLooking>;

export function createLooking(core: EngineCore) {
  const { deps, now, timeoutMs } = core;
  // Group commit: results that come in while one write is under way share the next transaction,
  // instead of 50 transactions on the same stores queueing one after another (batch.ts).
  const storeCheck = batched(async (checks: { record: CacheRecord; lastCheck: LastCheck }[]) => storeChecks(await deps.db(), checks));

  async function whoamiOrNull(connector: Connector, ctx: ConnectorContext, call: Call): Promise<WhoAmI | null> {
    try {
      return checkWhoami(await call(() => connector.whoami(ctx)));
    } catch (e) {
      if (isSignedOutError(e)) return null;
      throw e;
    }
  }

  /**
   * Who is signed in, and the sessions when the service lists them. Throws ConnectorError for anything else.
   *
   * Both are asked at once, over one look's shared reads (a connector that reads the same page for
   * both, or asks who-am-I again inside its list, sends that read once): a look costs one round trip
   * where it cost two or three. The answer is what asking one after the other would give: who-am-I
   * decides signed in or out (the list's answer is then not read, whatever it was), and a list that
   * finds the person signed out meanwhile is signed out.
   */
  async function observe(connector: Connector, rawCtx: ConnectorContext, call: Call): Promise<Observation> {
    const ctx = withSharedReads(rawCtx);
    const listing = canList(connector) ? early(call(() => connector.listSessions!(ctx))) : null;
    const who = await whoamiOrNull(connector, ctx, call);
    if (who === null) return { state: 'signed-out' };
    let sessions: Session[] | null = null;
    let more: Pick<SessionList, 'unlisted' | 'hidden'> = {};
    if (listing) {
      try {
        const { sessions: listed, ...rest } = checkSessionList(await listing);
        sessions = markCurrent(listed, who);
        more = rest;
      } catch (e) {
        if (isSignedOutError(e)) return { state: 'signed-out' };
        throw e;
      }
    }
    return { state: 'ok', sessions, ...more, fetchedAt: now(), whoami: who };
  }

  async function lookAt(account: LinkedAccount): Promise<AccountResult> {
    const connector = deps.connectorById(account.connectorId);
    if (!connector) {
      const said: Said = { key: 'connErr_noConnector', subs: [account.connectorId] };
      return { state: 'error', kind: 'unsupported', message: say(said), said };
    }
    const controller = new AbortController();
    try {
      // One time limit for the whole look: a service that hangs resolves to 'timeout' and never holds up the others.
      return await withTimeout(timeoutMs, controller, () => observe(connector, deps.contextFor(account, controller.signal), direct));
    } catch (e) {
      const f = failure(e);
      return { state: 'error', ...f };
    }
  }

  function lastCheckOf(at: number, result: AccountResult): LastCheck {
    if (result.state === 'ok') return { at, whoami: { account: result.whoami.account } };
    if (result.state === 'signed-out') return { at, whoami: null };
    return { at, failure: { kind: result.kind, message: result.message, ...(result.said && { said: result.said }) } };
  }

  const api: Pick<SessionEngine, 'gather' | 'cached' | 'markSeen'> = {
    async gather(accountIds) {
      let accounts = await readAccounts(await deps.db());
      if (accountIds !== undefined) {
        const wanted = new Set(accountIds);
        accounts = accounts.filter((a) => wanted.has(a.id));
      }
      return Promise.all(
        accounts.map(async (account): Promise<AccountStatus> => {
          // Stamped with when the look began: a sign-out that ends sessions meanwhile records a newer
          // result, which this look (perhaps listing the ended sessions) must not overwrite (see storeChecks).
          const at = now();
          const result = await lookAt(account);
          let stored: LinkedAccount | undefined;
          try {
            stored = await storeCheck({ record: { accountId: account.id, at, result }, lastCheck: lastCheckOf(at, result) });
          } catch {
            // The cache only speeds up the next paint; the fresh result is still returned.
          }
          return { account: stored ?? account, at, result };
        }),
      );
    },

    async cached() {
      return (await readAccountsWithCache(await deps.db())).map(toCachedStatus);
    },

    async markSeen(accountId, ids) {
      if (typeof accountId !== 'string' || !Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
        // The popup sends the ids it drew: only a bug meets this, so plain English for the log.
        throw new SessionsError('invalid-input', 'The sessions shown must be a list of session ids.');
      }
      await storeSeen(await deps.db(), accountId, ids.slice(0, MAX_SEEN_IDS));
    },
  };
  return { whoamiOrNull, observe, ...api };
}
