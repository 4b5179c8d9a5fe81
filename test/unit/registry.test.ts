// this runs under the 'unit' project
// Conventions every connector keeps, checked without starting any server.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectorById, connectorMetas, connectors } from '../../src/connectors/registry';
import type { Connector, LinkedAccountRef } from '../../src/connectors/types';
import { SERVER_STARTERS } from '../connectors/servers/index';
import { casesByConnector } from '../connectors/cases/index';

const CONNECTORS_DIR = new URL('../../src/connectors/', import.meta.url);

function looksLikeConnector(v: unknown): v is Connector {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Partial<Connector>;
  return typeof c.meta?.id === 'string' && typeof c.whoami === 'function';
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

function sampleAccount(c: Connector): LinkedAccountRef {
  const origin = c.meta.origins[0] ?? 'https://app.example.com';
  return {
    id: 'sample',
    connectorId: c.meta.id,
    origin,
    ...(c.meta.instanceUrl ? { instanceUrl: `${origin}/api/auth` } : {}),
    settings: {},
  };
}

describe('connector cases', () => {
  it('belong to connectors Revoke ships (a renamed connector leaves none behind)', () => {
    expect(Object.keys(casesByConnector).filter((id) => !connectorById(id))).toEqual([]);
  });
});

describe('connector registry', () => {
  it('registers every connector module under src/connectors exactly once', async () => {
    const files = readdirSync(fileURLToPath(CONNECTORS_DIR)).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'));
    const found: Connector[] = [];
    for (const file of files) {
      const mod = (await import(new URL(file, CONNECTORS_DIR).href)) as Record<string, unknown>;
      for (const value of Object.values(mod)) if (looksLikeConnector(value)) found.push(value);
    }
    expect(found.length).toBeGreaterThan(0);
    for (const c of found) expect(connectors, `${c.meta.id} is exported but not in registry.ts`).toContain(c);
    for (const c of connectors) expect(connectors.filter((x) => x === c)).toHaveLength(1);
  });

  it('has unique, stable-looking ids', () => {
    const ids = connectors.map((c) => c.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+$/);
  });

  it('lists metadata without running connector code, and finds connectors by id', () => {
    expect(connectorMetas.map((m) => m.id)).toEqual(connectors.map((c) => c.meta.id));
    for (const c of connectors) expect(connectorById(c.meta.id)).toBe(c);
    expect(connectorById('no-such-connector')).toBeUndefined();
  });

  for (const c of connectors) {
    describe(c.meta.id, () => {
      it('has valid origins: https (loopback may be http), or an instance URL to ask for', () => {
        for (const o of c.meta.origins) {
          const url = new URL(o);
          expect(url.origin, `${o} is not an origin`).toBe(o);
          expect(url.protocol === 'https:' || isLoopback(url.hostname), `${o} is not https`).toBe(true);
        }
        if (c.meta.origins.length === 0) expect(c.meta.instanceUrl, 'no origins and no instance URL').toBeDefined();
        if (c.meta.instanceUrl) {
          for (const text of Object.values(c.meta.instanceUrl)) expect(text.trim()).not.toBe('');
        }
        expect(c.meta.name.trim()).not.toBe('');
      });

      it('declares capabilities that match its functions', () => {
        const { list, revokeOne, revokeOthers, revokeAll } = c.meta.can;
        expect(list, 'can.list vs listSessions').toBe(typeof c.listSessions === 'function');
        expect(revokeOne || revokeOthers || revokeAll, 'can.revoke* vs revoke').toBe(typeof c.revoke === 'function');
      });

      it('carries at least one case, each naming a known test server', () => {
        const cases = casesByConnector[c.meta.id] ?? [];
        expect(cases.length).toBeGreaterThan(0);
        const names = cases.map((k) => k.name);
        expect(new Set(names).size, 'case names repeat').toBe(names.length);
        for (const k of cases) {
          expect(Object.keys(SERVER_STARTERS), `case "${k.name}"`).toContain(k.server);
          expect(k.steps.length).toBeGreaterThan(0);
        }
      });

      it('gives a manage URL on the account origin (or, where the server has no such page, a client\'s)', () => {
        const account = sampleAccount(c);
        const url = new URL(c.meta.manageUrl(account));
        expect(url.protocol).toBe('https:');
        // A Matrix homeserver has no session page: devices are managed in a client (Element).
        if (c.meta.id === 'matrix') expect(url.href).toBe('https://app.element.io/#/user-settings/sessions');
        else expect([account.origin, ...c.meta.origins]).toContain(url.origin);
      });
    });
  }
});
