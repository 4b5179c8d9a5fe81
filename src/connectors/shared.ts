/**
 * Small pieces more than one connector needs alike. Each connector file keeps only what is
 * particular to its service.
 */
import type { LinkedAccountRef } from './types';

/** The id of the session of this browser, for services that do not give it one of their own. */
export const THIS_BROWSER = 'this-browser';

/** The instance's base URL (an app may live under a folder such as /forum), without a trailing slash. */
export function instanceBase(account: LinkedAccountRef): string {
  return (account.instanceUrl ?? account.origin).replace(/\/+$/, '');
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
