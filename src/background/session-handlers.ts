/**
 * Protocol handlers for linked accounts, sessions and the audit log. Host
 * permissions are checked here too: an account is linked only once the person
 * granted its origin, and unlinking gives the permission back.
 */
import { detectSite, type TabPage } from '../connectors/detect';
import { connectorById, connectors } from '../connectors/registry';
import { capabilitiesOf, ConnectorError, type Connector, type ConnectorContext, type FailureKind, type LinkedAccountRef } from '../connectors/types';
import { AppError, type AccountView, type ConnectorInfo } from '../lib/messages';
import { normaliseInstanceUrl, type AccountStore, type NewAccount } from '../sessions/accounts';
import { hostPermissionPatterns, requiredPermissionPattern } from '../lib/host-permissions';
import type { SessionEngine } from '../sessions/engine';
import type { AccountResult, CachedStatus, LinkedAccount } from '../sessions/types';
import type { SessionHandlers } from './router';
import { accountView, connectorViewKey, type ConnectorView } from './account-view';
import { signInText } from '../i18n/connector-text';
import type { LinkMark, LinkMarks } from './link-marks';

export interface HostPermissions {
  contains(pattern: string): Promise<boolean>;
  /** True once the pattern is granted (now or within `withinMs`), false when it was not. */
  whenGranted(pattern: string, withinMs: number): Promise<boolean>;
  remove(pattern: string): Promise<void>;
}

/** How long a link sent with the permission prompt waits for the person's answer. */
export const GRANT_WAIT_MS = 2 * 60_000;

function connectorView(account: LinkedAccount): ConnectorView {
  const c = connectorById(account.connectorId);
  // Accounts are linked only to connectors this build has: a bug, so plain English for the log.
  if (!c) throw new AppError('internal', `No connector "${account.connectorId}" for a linked account.`);
  return {
    id: c.meta.id, name: c.meta.name, can: capabilitiesOf(c, account), manageUrl: c.meta.manageUrl(account),
    ...(c.meta.signIn ? { signsIn: true as const } : {}),
    ...(c.meta.elsewhere ? { elsewhere: c.meta.elsewhere } : {}),
  };
}

const view = (s: CachedStatus): AccountView => accountView(s, connectorView(s.account));

/** Failures that may pass (the site is down, slow or erring now): linking anyway makes sense. */
const PASSING: ReadonlySet<FailureKind> = new Set(['offline', 'timeout', 'server']);

/**
 * Why a first check that failed keeps the account from being linked, as the error the page shows.
 * It names the origin with its scheme: the address checked may not be the one typed ("localhost:3000").
 */
function refusal(origin: string, kind: FailureKind, message: string): AppError {
  return PASSING.has(kind)
    ? new AppError('unverified', `Revoke could not check ${origin} now: ${message} Nothing was linked. Link it anyway if the site is only down for now.`, { key: 'link_unverified', subs: [origin, message] })
    : new AppError('invalid-input', `${message} Nothing was linked.`, { key: 'link_refused', subs: [message] });
}

export function createSessionHandlers(deps: {
  engine: SessionEngine;
  accounts: AccountStore;
  permissions: HostPermissions;
  /** Called when the last account on an origin was unlinked (Firefox drops its origin rule). */
  releaseOrigin?(origin: string): Promise<void>;
  /** A connector context for an account (also one not linked yet, to find an instance's API). */
  contextFor(account: LinkedAccountRef): ConnectorContext;
  /** The page in the tab the popup was opened on, when the browser lets Revoke read it (activeTab). */
  currentTab?(): Promise<TabPage | null>;
  /** How Revoke's own device is named where it signs in ("Revoke (Chrome)"). Default "Revoke". */
  deviceName?: string;
  /** Keeps every linked account's connector view where the popup reads it (see account-view.ts). */
  rememberConnectorViews?(views: Record<string, ConnectorView>): Promise<void>;
  /**
   * Marks a link under way, so a worker stopped before its first check ends does not leave it
   * linked (link-marks.ts). Given, the handlers settle what an earlier worker left as they are made.
   */
  linkMarks?: LinkMarks;
  /** A new account id (default: a random UUID). */
  newAccountId?(): string;
}): SessionHandlers {
  const { engine, accounts, permissions } = deps;

  /** Gives back what an origin holds once no linked account uses it: its origin rule, then its host's permission. */
  async function releaseUnused(origin: string): Promise<void> {
    const rest = await accounts.list();
    if (!rest.some((a) => a.origin === origin)) await deps.releaseOrigin?.(origin);
    // Host permissions know no ports: given back only when no account uses the host at all.
    const host = new URL(origin).hostname;
    if (!rest.some((a) => new URL(a.origin).hostname === host)) for (const pattern of hostPermissionPatterns(origin)) await permissions.remove(pattern);
  }

  /** What the person typed, or the instance the connector finds from it (an app's address -> its API). */
  async function instanceFor(connectorId: string, typed: string, origin: string, settings: Record<string, string>, force: boolean): Promise<string> {
    const connector = connectorById(connectorId);
    if (!connector?.resolveInstance) return typed;
    const { instanceUrl } = normaliseInstanceUrl(typed);
    try {
      return await connector.resolveInstance(deps.contextFor({ id: 'linking', connectorId, origin, instanceUrl, settings }));
    } catch (e) {
      if (!(e instanceof ConnectorError)) throw e;
      if (force && PASSING.has(e.kind)) return instanceUrl;
      await releaseUnused(origin);
      throw refusal(origin, e.kind, e.message);
    }
  }

  /**
   * Signs Revoke in to the account as its own device (connectors with meta.signIn) and stores what
   * the service said of it (user and device ids, no secret). The password goes no further.
   */
  async function signIn(account: LinkedAccount, user: string, password: unknown): Promise<void> {
    const connector = connectorById(account.connectorId);
    // The page asks for a password only where the connector signs in: a bug, so plain English for the log.
    if (!connector?.signIn) throw new AppError('invalid-input', 'Revoke does not sign in to this service itself.');
    if (typeof password !== 'string' || password === '' || password.length > 1000) throw new AppError('invalid-input', 'Enter the account’s password.', { key: 'link_enterPassword' });
    try {
      const said = await connector.signIn(deps.contextFor(account), { user, password, deviceName: deps.deviceName ?? 'Revoke' });
      await accounts.update(account.id, { settings: { ...account.settings, ...said } });
    } catch (e) {
      if (!(e instanceof ConnectorError)) throw e;
      throw e.kind === 'forbidden' ? new AppError('wrong-password', e.message, e.said) : refusal(account.origin, e.kind, e.message);
    }
  }

  /**
   * Stores the account, signs Revoke in where the connector does, and looks once: kept only when
   * the site answered signed in or signed out (or it is down and the person links anyway).
   */
  async function linkChecked(input: NewAccount, connector: Connector, origin: string, force: boolean, password: unknown): Promise<{ account: LinkedAccount; result: AccountResult }> {
    let account: LinkedAccount;
    try {
      account = await accounts.add(input);
    } catch (e) {
      await releaseUnused(origin); // an address refused, or linked already: the new grant goes back
      throw e;
    }
    if (connector.signIn) {
      try {
        await signIn(account, input.settings!.user!.trim(), password);
      } catch (e) {
        // Kept only when the service could not be reached and the person asked to link anyway: signed out until signed in.
        if (!(force && e instanceof AppError && e.code === 'unverified')) {
          await accounts.remove(account.id);
          await releaseUnused(origin);
          throw e;
        }
      }
    }
    const [status] = await engine.gather([account.id]);
    const result: AccountResult = status!.result;
    // Saved only once the site answered signed in or signed out: a broken link would show up
    // in the popup, in sign out everywhere and in the audit log as if it were an account.
    if (result.state === 'error' && !(force && PASSING.has(result.kind))) {
      await accounts.remove(account.id);
      await releaseUnused(origin);
      throw refusal(origin, result.kind, result.message);
    }
    return { account, result };
  }

  async function unlink(accountId: string, keepGrant = false): Promise<void> {
    const linked = await accounts.get(accountId);
    const connector = linked && connectorById(linked.connectorId);
    // Revoke's own sign-in ends with the link (best effort: an unreachable service must not keep it linked).
    if (linked && connector?.release) await connector.release(deps.contextFor(linked)).catch(() => undefined);
    const removed: LinkedAccount = await accounts.remove(accountId);
    if (!keepGrant) await releaseUnused(removed.origin);
  }

  /** Hosts a link of this worker is under way for (waiting for the sweep included). */
  const linking = new Map<string, number>();

  /**
   * A link an earlier worker was stopped in: kept when its first check had passed (it was to be
   * kept), else undone as "Unlink" does; stopped before the account was stored, only its grant goes
   * back. A grant a link now waiting asks for again (the person's retry) is that link's to keep.
   */
  async function settleLeftLink({ accountId, origin }: LinkMark): Promise<void> {
    const keepGrant = linking.has(new URL(origin).hostname);
    const left = (await engine.cached()).find((c) => c.account.id === accountId);
    if (!left) return keepGrant ? undefined : releaseUnused(origin);
    if (left.result?.state === 'ok' || left.result?.state === 'signed-out') return;
    await unlink(accountId, keepGrant);
  }

  // Links left by a stopped worker are settled first: a link or unlink waits for that, so a retried
  // link is not told "already linked" of an account about to go, nor loses its grant to it.
  const swept: Promise<unknown> = deps.linkMarks
    ? deps.linkMarks.sweep(settleLeftLink).catch((e) => console.error('Revoke: could not settle links a stopped worker left', e))
    : Promise.resolve();

  async function refresh(ids?: string[]): Promise<AccountView[]> {
    await engine.gather(ids);
    // Read back what was stored: link order, and the last good look next to a failed one.
    const all = await engine.cached();
    return (ids ? all.filter((c) => ids.includes(c.account.id)) : all).map(view);
  }

  return {
    'accounts/connectors': async () =>
      connectors.map((c): ConnectorInfo => ({
        id: c.meta.id, name: c.meta.name, origins: c.meta.origins, can: c.meta.can,
        ...(c.meta.instanceUrl ? { instanceUrl: c.meta.instanceUrl } : {}),
        ...(c.meta.signIn ? { signIn: c.meta.signIn } : {}),
      })),
    'accounts/link': async ({ connectorId, url, settings, force = false, awaitGrant = false, password }) => {
      const connector = connectorById(connectorId);
      if (!connector) throw new AppError('invalid-input', 'Unknown service.', { key: 'link_unknownService' });
      if (connector.meta.signIn && !settings.user?.trim()) throw new AppError('invalid-input', `Enter your ${connector.meta.signIn.userLabel}.`, { key: 'link_enterUser', subs: [signInText(connector.meta)!.userLabel] });
      const draft = connector.meta.instanceUrl ? { instanceUrl: url } : { origin: url || connector.meta.origins[0]! };
      // Least privilege: nothing is linked for a site the person did not grant.
      // (The same normalisation the account store applies; it refuses bad addresses with a message.)
      const { origin } = normaliseInstanceUrl(draft.instanceUrl ?? draft.origin!);
      const host = new URL(origin).hostname;
      linking.set(host, (linking.get(host) ?? 0) + 1);
      const id = deps.newAccountId?.() ?? globalThis.crypto.randomUUID();
      try {
        await swept;
        // Marked from the grant on, unmarked once kept or undone: what a stopped worker leaves (a
        // grant, an account not yet checked) is settled at the next start.
        await deps.linkMarks?.begin(id, origin);
        const required = requiredPermissionPattern(origin);
        if (!(await (awaitGrant ? permissions.whenGranted(required, GRANT_WAIT_MS) : permissions.contains(required)))) {
          throw new AppError('forbidden', `Revoke has no permission for ${new URL(origin).host}; allow it when asked, then link again.`, { key: 'link_noPermission', subs: [new URL(origin).host] });
        }
        if (draft.instanceUrl !== undefined) draft.instanceUrl = await instanceFor(connectorId, draft.instanceUrl, origin, settings, force);
        return await linkChecked({ id, connectorId, ...draft, settings }, connector, origin, force, password);
      } finally {
        const n = linking.get(host)! - 1;
        if (n > 0) linking.set(host, n);
        else linking.delete(host);
        await deps.linkMarks?.end(id).catch((e) => console.error('Revoke: could not unmark a finished link', e));
      }
    },

    'accounts/sign-in': async ({ accountId, password }) => {
      const account = await accounts.get(accountId);
      if (!account) throw new AppError('not-found', 'That account is no longer linked.', { key: 'account_gone' });
      await signIn(account, account.settings.userId ?? account.settings.user ?? '', password);
      return refresh([accountId]);
    },
    'accounts/unlink': async ({ accountId }) => {
      await swept;
      await unlink(accountId);
      return null;
    },
    'accounts/detect': async () => {
      const tab = await deps.currentTab?.();
      if (!tab) return null;
      return detectSite(tab, connectors, (await accounts.list()).map((a) => a.origin));
    },
    'sessions/overview': async () => {
      const views = (await engine.cached()).map(view);
      // Best effort: without it the popup asks for this overview, as it did before.
      await deps.rememberConnectorViews?.(Object.fromEntries(views.map((v) => [connectorViewKey(v.account), v.connector]))).catch(() => undefined);
      return views;
    },
    'sessions/refresh': async (body) => refresh(body?.accountIds),
    'sessions/seen': async ({ accountId, ids }) => {
      await engine.markSeen(accountId, ids);
      return null;
    },
    'sessions/revoke': ({ accountId, target, reason, password }) => engine.revoke(accountId, target, reason, typeof password === 'string' ? password : undefined),
    'sessions/sign-out-everywhere': ({ reason }) => engine.signOutEverywhere(reason),
    'sessions/jobs': () => engine.jobs(),
    'audit/list': ({ limit, before }) => {
      const page = Math.min(Math.max(1, Math.trunc(Number(limit)) || 1), 200);
      return engine.audit.list({ limit: page, ...(isAuditCursor(before) ? { before } : {}) });
    },
  };
}

/** A page's `before` as the store takes it: a time, or the last record's time and id; anything else is ignored. */
function isAuditCursor(v: unknown): v is number | { at: number; id: string } {
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'object' || v === null) return false;
  const { at, id } = v as { at?: unknown; id?: unknown };
  return typeof at === 'number' && Number.isFinite(at) && typeof id === 'string';
}
