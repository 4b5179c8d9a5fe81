/**
 * A journal test bed: one database and one world of fake services, with engines that come and go
 * over them as service workers do. Shared by the sign-out-everywhere test files.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import type { ConnectorContext } from '../../src/connectors/types';
import { createAccountStore } from '../../src/sessions/accounts';
import { openSessionsDb, sessionsConnection } from '../../src/sessions/db';
import { createSessionEngine, type SessionEngine } from '../../src/sessions/engine';
import type { AuditReason, Job, JobStepState, LinkedAccount } from '../../src/sessions/types';
import { World, fakeConnector, sleep } from './sessions-world';

let dbCounter = 0;
const freshName = () => `sessions-journal-${++dbCounter}-${Math.random().toString(36).slice(2)}`;
export const REASON: AuditReason = { kind: 'lost-device', text: 'laptop left on a train' };

/** One database and one world of fake services; engines come and go over them, as service workers do. */
export async function setup() {
  const world = new World();
  const name = freshName();
  let ids = 0;
  const newId = () => `id-${++ids}`;
  const connectors = () => [
    fakeConnector(world, 'fake'),
    fakeConnector(world, 'fake-others', { revokeAll: false }),
    fakeConnector(world, 'fake-none', { revokeOne: false, revokeOthers: false, revokeAll: false, localSignOut: false }),
  ];
  const registry = new Map(connectors().map((c) => [c.meta.id, c]));
  const accountsDb = sessionsConnection(() => openSessionsDb(name));
  const store = createAccountStore({ db: accountsDb, connectorById: (id) => registry.get(id), newId });

  /** A new engine with its own connection, as a freshly started service worker would have. */
  function engine(opts: { timeoutMs?: number } = {}): SessionEngine {
    const own = new Map(connectors().map((c) => [c.meta.id, c]));
    return createSessionEngine({
      db: sessionsConnection(() => openSessionsDb(name)),
      connectorById: (id) => own.get(id),
      contextFor: (account: LinkedAccount, signal: AbortSignal): ConnectorContext => ({
        account, signal, local: world.browser.local, now: Date.now,
        fetch: () => Promise.reject(new Error('no network in this test')),
        selectHtml: () => {
          throw new Error('no HTML in this test');
        },
      }),
      newId,
      ...(opts.timeoutMs !== undefined && { timeoutMs: opts.timeoutMs }),
    });
  }

  const link = async (connectorId = 'fake', origin = `https://svc${ids + 1}.test`) => {
    const service = world.service(origin);
    const account = await store.add({ connectorId, instanceUrl: origin, label: `Account at ${origin}` });
    return { account, service };
  };

  /** The journal as stored, read with a connection of its own. */
  async function rawJobs(): Promise<Job[]> {
    const db = await openDB(name);
    const jobs = (await db.getAll('journal')) as Job[];
    db.close();
    return jobs;
  }
  async function rawAudit() {
    const db = await openDB(name);
    const records = await db.getAll('audit');
    db.close();
    return records;
  }
  return { world, name, store, engine, link, rawJobs, rawAudit };
}

export async function until(check: () => Promise<boolean>, what: string, ms = 3000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export const statesOf = (job: Job | undefined): JobStepState[] => job?.steps.map((s) => s.state) ?? [];

