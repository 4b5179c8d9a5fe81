/**
 * Taking panic's all-sites permission and giving it back. Chrome's permissions.remove for a
 * wildcard takes every granted host it matches, not just the pattern (pixiebrix-extension#1931:
 * removing the any-host wildcard dropped every other host permission), which would cut the linked accounts'
 * own grants. So the hosts held before are compared with those held after, and any lost one is
 * asked for again at once, in the same click (re-granting what the person granted before).
 */
import type { Permissions } from 'webextension-polyfill';

/** What panic's permission is, in both browsers (manifest.json's optional_host_permissions). */
export const ALL_SITES = ['https://*/*', 'http://*/*'];

export type PermissionsApi = Pick<Permissions.Static, 'request' | 'remove' | 'getAll'>;

/** Asks for all sites; call it first in the click handler, nothing awaited before it. */
export function takeAllSites(permissions: PermissionsApi): Promise<boolean> {
  return permissions.request({ origins: ALL_SITES });
}

/**
 * Gives the all-sites permission back, keeping the hosts granted apart from it. Returns the hosts
 * that are lost all the same (the browser refused them again): the linked accounts there need
 * linking again.
 */
export async function giveAllSitesBack(permissions: PermissionsApi): Promise<string[]> {
  const others = ((await permissions.getAll()).origins ?? []).filter((o) => !ALL_SITES.includes(o));
  // Fails only where the manifest grants it outright (test builds): nothing to give back then.
  if (!(await permissions.remove({ origins: ALL_SITES }).catch(() => false))) return [];
  const kept = new Set((await permissions.getAll()).origins ?? []);
  const lost = others.filter((o) => !kept.has(o));
  if (lost.length === 0) return [];
  const again = await permissions.request({ origins: lost }).catch(() => false);
  return again ? [] : lost;
}
