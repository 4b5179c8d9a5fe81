/**
 * Planning "sign out everywhere": how each account's sessions are ended, and which accounts share
 * cookies (so their server steps finish before any of their local clears).
 */
import { capabilitiesOf, type Connector, type LinkedAccountRef } from '../connectors/types';
import { canList } from './checks';
import type { ServerPlan } from './types';

/**
 * Accounts whose local clears could touch each other's cookies. Cookies ignore ports, and a clear
 * removes the domain cookies of parent domains that sibling hosts receive too, so a clear for one
 * account could sign another out before its server step ran. Without the public suffix list, the last two labels of the
 * host stand in for the registrable domain: that groups too much (co.uk), never too little.
 */
export function cookieSite(origin: string): string {
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return origin;
  }
  if (host.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return host;
  return host.split('.').slice(-2).join('.');
}

export function isWebOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === origin;
  } catch {
    return false;
  }
}

export function planFor(connector: Connector | undefined, account: LinkedAccountRef): ServerPlan {
  if (!connector || typeof connector.revoke !== 'function') return 'none';
  const can = capabilitiesOf(connector, account);
  if (can.revokeAll) return 'all';
  if (can.revokeOthers || (can.revokeOne && canList(connector))) return 'others';
  return 'none';
}
