/**
 * Ending: asks a service to end sessions, then checks the goal state (never trusting the request
 * alone), and clears this browser's login state for an account, checking no cookie is left. A
 * request the service accepted is only 'confirmed' once the goal is seen.
 */
import {
  capabilitiesOf, ConnectorError, type Connector, type ConnectorContext, type RevokeTarget, type Session, type WhoAmI,
} from '../connectors/types';
import { connectorError, failureText } from '../connectors/common';
import { canList, checkReason, checkTarget, isSignedOutError, MAX_TEXT_CHARS } from './checks';
import { confirmed, failed, failedFrom, failure, messageOf, notConfirmed, type Call, onlyHere, proofOutcome } from './outcomes';
import { withShared } from './shared-cookies';
import { appendAudit, readCached, storeLearned } from './db';
import { type AuditAction, type LinkedAccount, type RevokeOutcome, type SessionSnapshot } from './types';
import type { SessionEngine } from './engine';
import { SIGNED_OUT, type EngineCore, type Observation, type Opened, type ServerOptions, type ServerResult } from './engine-core';
import type { Looking } from './looking';

const actionFor = (target: RevokeTarget): AuditAction =>
  target === 'all' ? 'revoke-all' : target === 'others' ? 'revoke-others' : 'revoke-one';

function snapshot(session: Session): SessionSnapshot {
  const { id: _id, extra: _extra, ...display } = session;
  return display;
}

const cannotEnd = (target: RevokeTarget) =>
  target === 'all' ? 'words_cannotEndAll' : target === 'others' ? 'words_cannotEndOthers' : 'words_cannotEndOne';

export type Ending = ReturnType<typeof createEnding>;

export function createEnding(core: EngineCore, looking: Pick<Looking, 'whoamiOrNull' | 'observe'>) {
  const { deps, timeoutMs, w, wp, open, remember, forgetCached, auditRecord, requireAccount } = core;
  const { whoamiOrNull, observe } = looking;


  /** How `target` can be done: by the connector directly, one session at a time ('others' only), or not. */
  function howTo(connector: Connector, account: LinkedAccount, target: RevokeTarget): 'direct' | 'one-by-one' | null {
    if (typeof connector.revoke !== 'function') return null;
    const can = capabilitiesOf(connector, account);
    if (target === 'all') return can.revokeAll ? 'direct' : null;
    if (target === 'others') return can.revokeOthers ? 'direct' : can.revokeOne && canList(connector) ? 'one-by-one' : null;
    return can.revokeOne ? 'direct' : null;
  }

  /** "End the other sessions" for services that can only end one at a time. Never ends this browser's own. */
  async function endOthersOneByOne(connector: Connector, ctx: ConnectorContext, call: Call): Promise<void> {
    const seen = await observe(connector, ctx, call);
    if (seen.state !== 'ok') throw connectorError('signed-out', { key: 'connErr_notSignedInHere' });
    const sessions = seen.sessions ?? [];
    if (!sessions.some((s) => s.current)) {
      throw connectorError('unsupported', { key: 'connErr_noCurrent' });
    }
    const others = sessions.filter((s) => !s.current);
    let ended = 0;
    for (const s of others) {
      try {
        await call(() => connector.revoke!(ctx, { id: s.id }));
      } catch (e) {
        if (ended === 0) throw e;
        const f = failure(e);
        throw connectorError(f.kind, { key: 'connErr_endedOthersThen', subs: [ended, others.length, failureText(f)] }, f.detail);
      }
      ended++;
    }
  }

  /** Checks the goal state after the service accepted `target`. Throws when the check itself fails. */
  async function verify(
    connector: Connector, ctx: ConnectorContext, call: Call, target: RevokeTarget, options: ServerOptions,
  ): Promise<{ outcome: RevokeOutcome; observed?: Observation }> {
    if (target === 'all') {
      const who = await whoamiOrNull(connector, ctx, call);
      const again = options.resumedAfterSend;
      // Where the service can end no other session (Google, Microsoft), "all" was this browser's sign-out only: say that.
      if (!capabilitiesOf(connector, ctx.account).revokeOthers) {
        return who === null
          ? { outcome: confirmed(w(again ? 'hosted_seen_signedOutHereResent' : 'hosted_seen_signedOutHere')), observed: SIGNED_OUT }
          : { outcome: notConfirmed(w(again ? 'hosted_seen_stillSignedInHereResent' : 'hosted_seen_stillSignedInHere', who.account)) };
      }
      return who === null
        ? { outcome: confirmed(w(again ? 'seen_allSignedOutResent' : 'seen_allSignedOut')), observed: SIGNED_OUT }
        : { outcome: notConfirmed(w(again ? 'seen_allStillSignedInResent' : 'seen_allStillSignedIn', who.account)) };
    }
    if (!canList(connector)) {
      return { outcome: notConfirmed(w('seen_noList')) };
    }
    const seen = await observe(connector, ctx, call);
    if (seen.state === 'signed-out') {
      if (typeof target === 'object' && options.wasCurrent) {
        return { outcome: confirmed(w('seen_ownSession')), observed: seen };
      }
      return { outcome: notConfirmed(w('seen_signedOutToo')), observed: seen };
    }
    const sessions = seen.sessions ?? [];
    if (typeof target === 'object') {
      if (sessions.some((s) => s.id === target.id)) return { outcome: notConfirmed(w('seen_stillListed')), observed: seen };
      // Missing from a list that hides the others proves nothing of another session.
      if (seen.hidden && !options.wasCurrent) return { outcome: notConfirmed(w('seen_othersHidden')), observed: seen };
      return { outcome: confirmed(w('seen_gone')), observed: seen };
    }
    if (seen.hidden) return { outcome: notConfirmed(w('seen_othersHidden')), observed: seen };
    const left = sessions.filter((s) => !s.current);
    if (seen.unlisted !== undefined) {
      return { outcome: notConfirmed(seen.unlisted === 'some' ? w('seen_unlistedSome') : wp('seen_unlisted', seen.unlisted)), observed: seen };
    }
    if (left.length === 0) return { outcome: confirmed(w('seen_onlyThisLeft')), observed: seen };
    const unmarked = !sessions.some((s) => s.current);
    return {
      outcome: notConfirmed(wp(unmarked ? 'seen_leftUnmarked' : 'seen_leftOthers', left.length)),
      observed: seen,
    };
  }

  /**
   * On resume from 'server-sent', the request sent before the restart can still be on its way when
   * the resent one goes out (who-am-I said signed in): whichever lands second hears "not signed
   * in". That answer proves nothing by itself, so who-am-I decides: signed out now means the
   * earlier request (sent while signed in) took effect.
   */
  async function afterRefusedResend(connector: Connector, ctx: ConnectorContext, call: Call): Promise<{ outcome: RevokeOutcome; observed?: Observation }> {
    let who: WhoAmI | null;
    try {
      who = await whoamiOrNull(connector, ctx, call);
    } catch (e) {
      return { outcome: notConfirmed(w('seen_resentCouldNotCheck', messageOf(e))) };
    }
    return who === null
      ? {
          outcome: confirmed(w('seen_resentConfirmed')),
          observed: SIGNED_OUT,
        }
      : { outcome: notConfirmed(w('seen_resentStillSignedIn', who.account)) };
  }

  /**
   * Asks the service to end `target`, then checks. Connector errors while asking are 'failed';
   * errors while checking are 'not-confirmed' (the request was accepted, the result is unknown).
   * Storage errors (from `beforeSend`) are not outcomes: they propagate.
   */
  async function endOnServer(
    account: LinkedAccount, connector: Connector | undefined, target: RevokeTarget, options: ServerOptions = {},
  ): Promise<ServerResult> {
    if (!connector) return { outcome: failed('unsupported', w('connErr_noConnector', account.connectorId)) };
    const how = howTo(connector, account, target);
    if (!how) return { outcome: failed('unsupported', w(cannotEnd(target))) };
    let opened: Opened;
    try {
      opened = open(account, options.password);
      if (target === 'all' || options.wasCurrent) {
        // Ending "all" (or this browser's own session) signs this browser out, which is also what the
        // check looks for: so first make sure there is something to end, or an account already
        // signed out would pass as "ended".
        if ((await whoamiOrNull(connector, opened.ctx, opened.call)) === null) {
          if (target !== 'all') return { outcome: failed('signed-out', w('fail_notSignedInOne')) };
          // Resumed after 'server-sent': the mark is written just before the request goes out, and a
          // browser restart drops session cookies too, so "signed out here" does not show that the
          // request left, let alone that the other sessions ended.
          return options.resumedAfterSend
            ? {
                outcome: notConfirmed(w('seen_resumedSignedOut')),
                observed: SIGNED_OUT,
              }
            : { outcome: failed('signed-out', w('fail_notSignedInAll')) };
        }
      }
    } catch (e) {
      return { outcome: failedFrom(e) };
    }
    await options.beforeSend?.();
    const result = await sendAndVerify(connector, opened, how, target, options);
    if (result.learned) await deps.db().then((db) => storeLearned(db, account.id, result.learned!)).catch(() => undefined);
    // The connector may have cleared this browser on the way (the generic connector does): say what that took.
    return { ...result, outcome: withShared(result.outcome, opened.shared()) };
  }

  async function sendAndVerify(
    connector: Connector, { ctx, call }: Opened, how: 'direct' | 'one-by-one', target: RevokeTarget, options: ServerOptions,
  ): Promise<ServerResult> {
    let answer: unknown;
    try {
      if (how === 'one-by-one') await endOthersOneByOne(connector, ctx, call);
      else answer = await call(() => connector.revoke!(ctx, target), Math.max(timeoutMs, connector.revokeTimeoutMs ?? 0));
    } catch (e) {
      if (target === 'all' && options.resumedAfterSend && isSignedOutError(e)) return afterRefusedResend(connector, ctx, call);
      return { outcome: failedFrom(e) };
    }
    // A connector that proved the sign-out itself ("Any site": who-am-I only sees cookies) is believed
    // for what it saw, and only that; a malformed proof proves nothing.
    // What the service ended beyond the target (Matrix's /logout/all: every device), as it said.
    const report = typeof answer === 'object' && answer !== null && 'ended' in answer ? (answer as { ended: unknown }).ended : undefined;
    if (answer !== undefined && report === undefined) {
      const proof = proofOutcome(answer);
      if (!proof) return { outcome: notConfirmed(w('words_proofUnreadable')) };
      return { ...proof, ...(proof.outcome.status === 'confirmed' ? { observed: SIGNED_OUT } : {}) };
    }
    try {
      const checked = await verify(connector, ctx, call, target, options);
      const ended = typeof report === 'string' ? report.slice(0, MAX_TEXT_CHARS) : undefined;
      return ended && checked.outcome.status !== 'failed' ? { ...checked, outcome: { ...checked.outcome, seen: `${ended} ${checked.outcome.seen}` } } : checked;
    } catch (e) {
      return { outcome: notConfirmed(w(target === 'all' ? 'seen_couldNotCheckSignedIn' : 'seen_couldNotCheckList', messageOf(e))) };
    }
  }

  /** Clears this browser's cookies and site data for the account's origin, then checks that no cookie is left. */
  async function clearLocal(account: LinkedAccount): Promise<RevokeOutcome> {
    let opened: Opened;
    try {
      opened = open(account);
      const { ctx, call } = opened;
      await call(() => ctx.local.clear(account.origin));
    } catch (e) {
      await forgetCached(account);
      // Errors here come from the browser's APIs, most often a missing permission.
      return failedFrom(e, 'permission');
    }
    const outcome = await checkCleared(account, opened);
    // No login cookie left: this browser is signed out there, and pages can show so at once. The
    // new result keeps the sessions the person was last shown (db.ts withSeen), so a sign-in that
    // comes after a sign-out (the lost phone's) is still marked New. Otherwise the cached result no
    // longer describes this browser: dropped.
    if (outcome.status === 'confirmed') await remember(account.id, SIGNED_OUT);
    else await forgetCached(account);
    return withShared(outcome, opened.shared());
  }

  /** After a clear: 'confirmed' only when this browser holds no cookie for the origin. Never rejects. */
  async function checkCleared(account: LinkedAccount, { ctx, call }: Opened): Promise<RevokeOutcome> {
    try {
      const names: unknown = await call(() => ctx.local.cookieNames(account.origin));
      if (!Array.isArray(names)) throw new Error('the cookie list is not a list');
      return names.length === 0
        ? confirmed(w('seen_noCookies', account.origin))
        : notConfirmed(wp('seen_cookiesLeft', names.length, account.origin, names.slice(0, 10).join(', ')));
    } catch (e) {
      return notConfirmed(w('seen_clearUnchecked', account.origin, e instanceof Error ? e.message : String(e)));
    }
  }

  const api: Pick<SessionEngine, 'revoke' | 'localSignOut'> = {
    async revoke(accountId, target, reason, password) {
      const checkedTarget = checkTarget(target);
      const checkedReason = checkReason(reason);
      const account = await requireAccount(accountId);
      const connector = deps.connectorById(account.connectorId);
      const can = connector && capabilitiesOf(connector, account);
      if (checkedTarget === 'all' && can && !can.revokeAll && can.localSignOut) {
        // "Sign out of the site" where the site cannot be asked to end the session: this browser
        // only, and the outcome says that the site's session may live on.
        const host = new URL(account.origin).host;
        const outcome = onlyHere(await clearLocal(account), w('seen_onlyHere', w('seen_noWayToAsk', host), host));
        await appendAudit(await deps.db(), auditRecord(account, 'local-sign-out', outcome, checkedReason));
        return outcome;
      }
      let listed: Session | undefined;
      if (typeof checkedTarget === 'object') {
        const cached = await readCached(await deps.db(), account.id);
        if (cached?.result.state === 'ok') listed = cached.result.sessions?.find((s) => s.id === checkedTarget.id);
      }
      const server = await endOnServer(account, connector, checkedTarget, {
        wasCurrent: listed?.current === true,
        ...(typeof password === 'string' && password !== '' ? { password } : {}),
      });
      let outcome = server.outcome;
      if (outcome.status === 'failed' && outcome.kind === 'unsupported' && can?.localSignOut && (checkedTarget === 'all' || listed?.current)) {
        // The connector found no way to ask the site (no sign-out on its pages): this browser only, saying why.
        const local = onlyHere(await clearLocal(account), w('seen_onlyHere', outcome.message, new URL(account.origin).host));
        await appendAudit(await deps.db(), auditRecord(account, 'local-sign-out', local, checkedReason));
        return local;
      }
      await remember(account.id, server.observed);
      // Only after the service confirmed: clearing first would leave a valid session that can no longer be ended from here.
      if (checkedTarget === 'all' && outcome.status === 'confirmed' && can?.localSignOut) {
        const local = await clearLocal(account);
        const combined = local.status === 'confirmed'
          ? confirmed(`${outcome.seen} ${local.seen}`)
          : notConfirmed(w('seen_clearNotConfirmed', outcome.seen, local.status === 'failed' ? local.message : local.seen));
        outcome = withShared(combined, outcome.sharedCookies, local.sharedCookies);
      }
      await appendAudit(
        await deps.db(),
        auditRecord(account, actionFor(checkedTarget), outcome, checkedReason, listed ? { session: snapshot(listed) } : {}),
      );
      return outcome;
    },

    async localSignOut(accountId, reason) {
      const checkedReason = checkReason(reason);
      const account = await requireAccount(accountId);
      const outcome = await clearLocal(account);
      await appendAudit(await deps.db(), auditRecord(account, 'local-sign-out', outcome, checkedReason));
      return outcome;
    },
  };
  return { endOnServer, clearLocal, ...api };
}
