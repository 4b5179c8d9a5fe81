/**
 * What the identity providers' connectors (Google, Microsoft personal and work) share. None of them
 * lets an app list or end the account's other devices; what Revoke can do is sign this browser out
 * through the provider's own sign-out address (the request its pages make), after which the engine
 * checks who-am-I and clears the sign-in origin's cookies and site data (can.localSignOut).
 *
 * The sign-out address is loaded as a page would be, without following its redirect: the provider
 * answers with Set-Cookie headers that expire its login cookies and a redirect to a page of its own
 * (or, for single sign-out, through its other domains), which Revoke does not need to visit. A
 * browser applies Set-Cookie from that redirect even though fetch does not follow it.
 */
import { excerpt } from './context';
import { connectorError } from './common';
import { ConnectorError, type Capabilities, type ConnectorContext } from './types';

/** What Revoke can do at an identity provider: sign this browser out, nothing on other devices. */
export const PROVIDER_CAN: Capabilities = { list: false, revokeOne: false, revokeOthers: false, revokeAll: true, localSignOut: true };

export function providerHost(ctx: ConnectorContext): string {
  return new URL(ctx.account.origin).host;
}

export function providerChanged(ctx: ConnectorContext, service: string, detail: string): ConnectorError {
  return connectorError('page-changed', { key: 'words_providerChanged', subs: [providerHost(ctx), service] }, detail);
}

/**
 * GETs the provider's sign-out address (`path` under the account's origin). Resolves when the
 * provider took the request (a redirect, or its "signed out" page); the engine then checks.
 */
export async function providerSignOut(ctx: ConnectorContext, service: string, path: string): Promise<void> {
  const res = await ctx.fetch(`${ctx.account.origin}${path}`, { headers: { accept: 'text/html' }, redirect: 'manual' });
  const s = res.status;
  const detail = `HTTP ${s || 'redirect'} GET ${path.split('?')[0]}`;
  // A browser shows a redirect it was told not to follow as status 0; Node shows the 3xx.
  if (s === 0 || (s >= 300 && s < 400) || s === 200) return;
  const body = excerpt(await res.text().catch(() => ''));
  if (s === 404 || s === 410) throw providerChanged(ctx, service, `${detail}: ${body}`);
  if (s === 401 || s === 403 || s === 429) {
    throw connectorError('forbidden', { key: 'words_providerRefused', subs: [service, String(s)] }, `${detail}: ${body}`);
  }
  throw connectorError('server', { key: 'words_providerNotDone', subs: [service, String(s)] }, `${detail}: ${body}`);
}

/** Which of `names` this browser holds for the account's origin (cookie names only; values are credentials). */
export async function heldCookies(ctx: ConnectorContext, names: readonly string[]): Promise<string[]> {
  const held = new Set(await ctx.local.cookieNames(ctx.account.origin));
  return names.filter((n) => held.has(n));
}
