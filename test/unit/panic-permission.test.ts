/**
 * Giving panic's all-sites permission back (lib/panic-permission.ts) over a fake permissions API
 * that removes as Chrome does (pixiebrix-extension#1931): removing a wildcard takes every granted
 * host it matches too. The linked accounts' hosts must survive it.
 */
import { describe, expect, it } from 'vitest';
import { ALL_SITES, giveAllSitesBack, type PermissionsApi } from '../../src/lib/panic-permission';

function chromeLike(granted: string[], { regrant = true, manifestGranted = false } = {}) {
  const held = new Set(granted);
  const requests: string[][] = [];
  const api = {
    getAll: async () => ({ origins: [...held], permissions: [] }),
    remove: async ({ origins = [] }: { origins?: string[] }) => {
      if (manifestGranted) throw new Error('You cannot remove required permissions.');
      // A wildcard takes along every host pattern of its scheme.
      for (const o of origins) for (const h of [...held]) if (h === o || (o.includes('://*/') && h.startsWith(o.split('*')[0]!))) held.delete(h);
      return true;
    },
    request: async ({ origins = [] }: { origins?: string[] }) => {
      requests.push(origins);
      if (regrant) for (const o of origins) held.add(o);
      return regrant;
    },
  };
  return { held, requests, api: api as unknown as PermissionsApi };
}

describe('giving the all-sites permission back', () => {
  it('keeps the linked hosts the browser took along, by asking for exactly those again', async () => {
    const f = chromeLike([...ALL_SITES, 'https://app.example.com/*', 'http://app.example.com/*']);
    expect(await giveAllSitesBack(f.api)).toEqual([]);
    expect(f.requests).toEqual([['https://app.example.com/*', 'http://app.example.com/*']]);
    expect([...f.held].sort()).toEqual(['http://app.example.com/*', 'https://app.example.com/*']);
  });

  it('says which hosts are lost when the browser does not grant them again', async () => {
    const f = chromeLike([...ALL_SITES, 'https://app.example.com/*'], { regrant: false });
    expect(await giveAllSitesBack(f.api)).toEqual(['https://app.example.com/*']);
    expect(f.held.size).toBe(0);
  });

  it('asks for nothing when no other host was held, or when the manifest grants it outright', async () => {
    const alone = chromeLike([...ALL_SITES]);
    expect(await giveAllSitesBack(alone.api)).toEqual([]);
    expect(alone.requests).toEqual([]);
    const build = chromeLike(['<all_urls>', ...ALL_SITES], { manifestGranted: true });
    expect(await giveAllSitesBack(build.api)).toEqual([]);
    expect(build.requests).toEqual([]);
  });
});
