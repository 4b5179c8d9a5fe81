// this runs under the 'unit' project
// Least privilege, as the manifest asks for it: no host permission at install (each linked site's
// is asked for when linked, all sites only when panic is turned on), nothing that reads browsing at
// large, and every permission explained in the README's table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import manifest from '../../manifest.json' with { type: 'json' };

const m = manifest as Record<string, unknown> & { permissions: string[]; optional_host_permissions?: string[] };
const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');

describe('the manifest\'s permissions', () => {
  it('grant no site at install: no host permissions, no content scripts; sites only as optional', () => {
    expect(m.host_permissions).toBeUndefined();
    expect(m.content_scripts).toBeUndefined();
    expect(m.optional_host_permissions).toEqual(['https://*/*', 'http://*/*']);
    for (const p of m.permissions) expect(p, 'a host pattern among the install-time permissions').not.toMatch(/:\/\/|<all_urls>/);
  });

  it('ask for nothing that reads browsing at large', () => {
    for (const p of ['tabs', 'history', 'webRequest', 'webNavigation', 'bookmarks', 'topSites', 'debugger', 'management', 'downloads']) {
      expect(m.permissions).not.toContain(p);
    }
  });

  it('are each explained in the README\'s permissions table', () => {
    const table = readme.slice(readme.indexOf('## Permissions, and why'));
    const rows = table.split('\n').filter((l) => l.startsWith('| `') || l.startsWith('| all sites'));
    expect(rows.length).toBeGreaterThan(5);
    for (const p of m.permissions) expect(rows.some((r) => r.includes(`\`${p}\``)), `README row for ${p}`).toBe(true);
  });
});
