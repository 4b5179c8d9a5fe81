/**
 * Protocol handlers for linked accounts, sessions and the audit log. Host
 * permissions are checked here too: an account is linked only once the person
 * granted its origin, and unlinking gives the permission back.
 */
import { connectorById, connectors } from '../connectors/registry';
import { AppError, type AccountView, type ConnectorInfo } from '../lib/messages';
import { normaliseInstanceUrl, type AccountStore } from '../sessions/accounts';
import { hostPermissionPatterns, requiredPermissionPattern } from '../lib/host-permissions';
import type { SessionEngine } from '../sessions/engine';
import type { CachedStatus, LinkedAccount } from '../sessions/types';
import type { SessionHandlers } from './router';

export interface HostPermissions {
  contains(pattern: string): Promise<boolean>;
  remove(pattern: string): Promise<void>;
}

function view(s: CachedStatus): AccountView {
  const c = connectorById(s.account.connectorId);
  if (!c) throw new AppError('internal', `No connector "${s.account.connectorId}" for a linked account.`);
  return {
    account: s.account,
    connector: { id: c.meta.id, name: c.meta.name, can: c.meta.can, manageUrl: c.meta.manageUrl(s.account) },
    ...(s.result ? { result: s.result, fetchedAt: s.at } : {}),
    ...('lastOk' in s && s.lastOk?.result.sessions ? { lastKnown: { sessions: s.lastOk.result.sessions, fetchedAt: s.lastOk.at } } : {}),
  };
}

export function createSessionHandlers(deps: {
  engine: SessionEngine;
  accounts: AccountStore;
  permissions: HostPermissions;
}): SessionHandlers {
  const { engine, accounts, permissions } = deps;

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
      })),
    'accounts/link': async ({ connectorId, url, settings }) => {
      const connector = connectorById(connectorId);
      if (!connector) throw new AppError('invalid-input', 'Unknown service.');
      const draft = connector.meta.instanceUrl ? { instanceUrl: url } : { origin: url || connector.meta.origins[0]! };
      // Least privilege: nothing is linked for a site the person did not grant.
      // (The same normalisation the account store applies; it refuses bad addresses with a message.)
      const { origin } = normaliseInstanceUrl(draft.instanceUrl ?? draft.origin!);
      if (!(await permissions.contains(requiredPermissionPattern(origin)))) {
        throw new AppError('forbidden', `Revoke has no permission for ${new URL(origin).host}; allow it when asked, then link again.`);
      }
      const account = await accounts.add({ connectorId, ...draft, settings });
      const [status] = await engine.gather([account.id]);
      return { account, result: status!.result };
    },
    'accounts/unlink': async ({ accountId }) => {
      const removed: LinkedAccount = await accounts.remove(accountId);
      const host = new URL(removed.origin).hostname;
      const stillUsed = (await accounts.list()).some((a) => new URL(a.origin).hostname === host);
      if (!stillUsed) for (const pattern of hostPermissionPatterns(removed.origin)) await permissions.remove(pattern);
      return null;
    },
    'sessions/overview': async () => (await engine.cached()).map(view),
    'sessions/refresh': async (body) => refresh(body?.accountIds),
    'sessions/revoke': ({ accountId, target, reason }) => engine.revoke(accountId, target, reason),
    'sessions/sign-out-everywhere': ({ reason }) => engine.signOutEverywhere(reason),
    'sessions/jobs': () => engine.jobs(),
    'audit/list': ({ limit, before }) => engine.audit.list({ limit: Math.min(Math.max(1, limit), 200), ...(before ? { before } : {}) }),
  };
}
