import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { ConnectorError, type LocalState } from '../../src/connectors/types';
import { openSessionsDb, putJob, readJobs, sessionsConnection, updateJobSteps } from '../../src/sessions/db';
import { createSessionEngine } from '../../src/sessions/engine';
import type { JobStepState } from '../../src/sessions/types';
import { fakeConnector, sleep } from './sessions-world';
import { REASON, setup, statesOf, until } from './sessions-journal-setup';

describe('signOutEverywhere', () => {
  it('ends every account on the server, then clears this browser, and sums up', async () => {
    const { engine, link, world, rawJobs, rawAudit } = await setup();
    const a = await link('fake');
    const b = await link('fake-others');
    const c = await link('fake-none');
    const e = engine();
    expect(await e.lastJob()).toBeNull();
    const summary = await e.signOutEverywhere(REASON);

    expect(summary.perAccount).toEqual([
      {
        // Never looked at before the job: the name is the label (which names the host already).
        accountId: a.account.id, label: a.account.label, name: a.account.label,
        server: { status: 'confirmed', seen: 'Signed out here after the service accepted the request to end all sessions.' },
        local: { status: 'confirmed', seen: `This browser holds no cookies for ${a.account.origin} any more.` },
      },
      {
        accountId: b.account.id, label: b.account.label, name: b.account.label,
        server: { status: 'confirmed', seen: "Revoke listed the sessions again and only this browser's is left." },
        local: { status: 'confirmed', seen: `This browser holds no cookies for ${b.account.origin} any more.` },
      },
      {
        accountId: c.account.id, label: c.account.label, name: c.account.label,
        server: 'skipped',
        local: { status: 'confirmed', seen: `This browser holds no cookies for ${c.account.origin} any more.` },
      },
    ]);
    expect(summary).toMatchObject({ confirmed: 3, notConfirmed: 0, failed: 0, serverSkipped: 1 });
    expect(a.service.sessions.size).toBe(0);
    expect([...b.service.sessions.keys()]).toEqual(['s1']); // ended by the local clear, as far as this browser goes
    expect(c.service.calls.revoke).toBe(0);
    expect(world.browser.clears.sort()).toEqual([a.account.origin, b.account.origin, c.account.origin].sort());

    const [job] = await rawJobs();
    expect(job!.finishedAt).toEqual(expect.any(Number));
    expect(statesOf(job)).toEqual(['local-done', 'local-done', 'local-done']);
    expect(job!.steps.map((s) => s.plan)).toEqual(['all', 'others', 'none']);
    expect(await e.lastJob()).toEqual({ job, summary });

    const audit = await rawAudit();
    // One record per step that ran (the skipped server step of c has none), all tied to the job, with its reason.
    expect(audit).toHaveLength(5);
    expect(audit.every((r) => r.jobId === summary.jobId && r.reason.kind === 'lost-device')).toBe(true);
    expect(audit.filter((r) => r.action === 'sign-out-everywhere').map((r) => r.accountId).sort()).toEqual([a.account.id, b.account.id].sort());
    expect(audit.filter((r) => r.action === 'local-sign-out')).toHaveLength(3);
  });

  it('writes the job to the journal before anything is sent', async () => {
    const { engine, link, rawJobs } = await setup();
    const { service } = await link();
    let seenAtFirstCall: JobStepState[] | null = null;
    const original = service.run.bind(service);
    service.run = async (op, body) => {
      seenAtFirstCall ??= statesOf((await rawJobs())[0]);
      return original(op, body);
    };
    await engine().signOutEverywhere(REASON);
    expect(seenAtFirstCall).toEqual(['pending']);
  });

  it('sends nothing when the job cannot be recorded first', async () => {
    const { link, name, world } = await setup();
    const { service } = await link();
    const real = sessionsConnection(() => openSessionsDb(name));
    // A database that refuses to store jobs (full disk, say).
    const refusing = async () => {
      const db = await real();
      return new Proxy(db, {
        get(target, prop) {
          if (prop === 'put') return (store: string, ...rest: unknown[]) => (store === 'journal' ? Promise.reject(new Error('QuotaExceededError')) : (target.put as (...a: unknown[]) => unknown)(store, ...rest));
          const value = Reflect.get(target, prop, target) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    };
    const engine = createSessionEngine({
      db: refusing,
      connectorById: (id) => (id === 'fake' ? fakeConnector(world, 'fake') : undefined),
      contextFor: (account, signal) => ({ account, signal, local: world.browser.local, now: Date.now, fetch: () => Promise.reject(new Error('x')), selectHtml: () => { throw new Error('x'); } }),
    });
    await expect(engine.signOutEverywhere(REASON)).rejects.toThrow('QuotaExceededError');
    await sleep(50);
    expect(service.calls).toEqual({ whoami: 0, list: 0, revoke: 0 });
    expect(world.browser.clears).toEqual([]);
  });

  it('still clears this browser when the server step fails, and reports the failure', async () => {
    const { engine, link } = await setup();
    const a = await link();
    const b = await link();
    a.service.failNext = { op: 'revoke', error: new ConnectorError('server', 'The service answered 500.') };
    const summary = await engine().signOutEverywhere(REASON);
    expect(summary.perAccount[0]).toMatchObject({
      server: { status: 'failed', kind: 'server', message: 'The service answered 500.' },
      local: { status: 'confirmed' },
    });
    expect(summary).toMatchObject({ confirmed: 1, notConfirmed: 0, failed: 1 });
    expect(a.service.sessions.size).toBe(3);
    expect(b.service.sessions.size).toBe(0);
  });

  it('does not claim to have ended the sessions of an account that was already signed out here', async () => {
    const { engine, link, world } = await setup();
    const a = await link();
    world.browser.jar(a.account.origin).clear();
    const summary = await engine().signOutEverywhere(REASON);
    expect(summary.perAccount[0]!.server).toMatchObject({ status: 'failed', kind: 'signed-out' });
    expect(summary.perAccount[0]!.local).toMatchObject({ status: 'confirmed' });
    expect(a.service.calls.revoke).toBe(0);
  });

  it("ends every server session on a cookie site before clearing that site's cookies", async () => {
    const { engine, link } = await setup();
    // Two accounts on one site: clearing b's cookies also clears a's (as browsers do).
    const a = await link('fake', 'https://a.shared.test');
    const b = await link('fake', 'https://b.shared.test');
    a.service.delay = 150;
    const summary = await engine().signOutEverywhere(REASON);
    expect(summary).toMatchObject({ confirmed: 2, failed: 0, notConfirmed: 0 });
    expect(a.service.sessions.size).toBe(0);
    expect(b.service.sessions.size).toBe(0);
  });

  it('runs accounts in parallel, a slow one holding up nobody', async () => {
    const { engine, link } = await setup();
    const accounts = [];
    for (let i = 0; i < 10; i++) accounts.push(await link());
    accounts.forEach((x) => (x.service.delay = 100));
    const started = Date.now();
    const summary = await engine().signOutEverywhere(REASON);
    // Per account: whoami, revoke, whoami = 300 ms; one after another would be 3 s.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(summary.confirmed).toBe(10);
  });

  it("records every account's 'server-sent' before that account's request goes out, also with many at once", async () => {
    const { engine, link, rawJobs } = await setup();
    const accounts = [];
    for (let i = 0; i < 12; i++) accounts.push(await link());
    const seen = new Map<string, JobStepState | undefined>();
    for (const { account, service } of accounts) {
      service.delay = 20;
      const original = service.run.bind(service);
      service.run = async (op, body) => {
        if (op === 'revoke') seen.set(account.id, (await rawJobs())[0]?.steps.find((s) => s.accountId === account.id)?.state);
        return original(op, body);
      };
    }
    const summary = await engine().signOutEverywhere(REASON);
    expect(summary.confirmed).toBe(12);
    expect([...seen.values()]).toEqual(Array(12).fill('server-sent'));
  });

  it('shares journal transactions between accounts running at once', async () => {
    const { link, name, world, rawAudit, rawJobs } = await setup();
    for (let i = 0; i < 20; i++) await link();
    for (const s of world.services.values()) s.delay = 30;
    const connection = sessionsConnection(() => openSessionsDb(name));
    let journalWrites = 0;
    const counting = async () => {
      const db = await connection();
      return new Proxy(db, {
        get(target, prop) {
          if (prop === 'transaction') {
            return (stores: string | string[], mode?: IDBTransactionMode, ...rest: unknown[]) => {
              if (mode === 'readwrite' && [stores].flat().includes('journal')) journalWrites++;
              return (target.transaction as (...a: unknown[]) => unknown)(stores, mode, ...rest);
            };
          }
          const value = Reflect.get(target, prop, target) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    };
    const registry = new Map([['fake', fakeConnector(world, 'fake')]]);
    const e = createSessionEngine({
      db: counting,
      connectorById: (id) => registry.get(id),
      contextFor: (account, signal) => ({ account, signal, local: world.browser.local, now: Date.now, fetch: () => Promise.reject(new Error('x')), selectHtml: () => { throw new Error('x'); } }),
    });
    const summary = await e.signOutEverywhere(REASON);
    expect(summary.confirmed).toBe(20);
    // 3 recorded changes per account (server-sent, server-done, local-done): 60 transactions one after another, unshared.
    expect(journalWrites).toBeLessThan(20);
    const [job] = await rawJobs();
    expect(statesOf(job)).toEqual(Array(20).fill('local-done'));
    const audit = await rawAudit();
    expect(audit).toHaveLength(40);
    expect(new Set(audit.map((r) => `${r.accountId} ${r.action}`)).size).toBe(40);
  });

  it("fails only the step that cannot be recorded when steps share a transaction", async () => {
    const { name } = await setup();
    const db = await openSessionsDb(name);
    const step = (accountId: string) => ({
      accountId, plan: 'all' as const, state: 'pending' as const,
      account: { id: accountId, connectorId: 'fake', origin: `https://${accountId}.test`, label: accountId, settings: {}, linkedAt: 1 },
    });
    await putJob(db, { id: 'job', kind: 'sign-out-everywhere', startedAt: 1, reason: REASON, steps: [step('a'), step('b')] });
    const audit = (id: string, accountId: string) => ({
      id, at: 2, accountId, accountLabel: accountId, connectorId: 'fake', origin: `https://${accountId}.test`,
      action: 'sign-out-everywhere' as const, outcome: { status: 'confirmed' as const, seen: 'x' }, reason: REASON, jobId: 'job',
    });
    // All or nothing: a batch with a step the journal does not hold writes nothing.
    await expect(updateJobSteps(db, [
      { jobId: 'job', accountId: 'a', change: { state: 'server-sent' } },
      { jobId: 'job', accountId: 'nobody', change: { state: 'server-sent' } },
    ])).rejects.toThrow('The journal has no step for account nobody in job job.');
    expect((await readJobs(db))[0]!.steps.map((s) => s.state)).toEqual(['pending', 'pending']);
    // Both changes and their audit records in one transaction.
    await updateJobSteps(db, [
      { jobId: 'job', accountId: 'a', change: { state: 'server-done', server: 'skipped' }, audit: audit('r1', 'a') },
      { jobId: 'job', accountId: 'b', change: { state: 'server-sent' } },
      { jobId: 'job', accountId: 'b', change: { state: 'server-done', server: 'skipped' }, audit: audit('r2', 'b') },
    ]);
    expect((await readJobs(db))[0]!.steps.map((s) => s.state)).toEqual(['server-done', 'server-done']);
    expect((await db.getAll('audit')).map((r) => r.id).sort()).toEqual(['r1', 'r2']);
    db.close();
  });

  it('joins a job already running instead of starting a second one', async () => {
    const { engine, link, rawJobs } = await setup();
    const { service } = await link();
    service.delay = 50;
    const e = engine();
    const [first, second] = await Promise.all([e.signOutEverywhere(REASON), e.signOutEverywhere({ kind: 'other', text: 'again' })]);
    expect(second).toEqual(first);
    expect(service.calls.revoke).toBe(1);
    expect(await rawJobs()).toHaveLength(1);
  });

  it('finishes at once with no linked accounts', async () => {
    const { engine } = await setup();
    expect(await engine().signOutEverywhere(REASON)).toMatchObject({ perAccount: [], confirmed: 0, notConfirmed: 0, failed: 0 });
  });
});

describe('resumeUnfinished', () => {
  it('finishes a job cut short, doing again only what was not recorded as done', async () => {
    const { engine, link, rawJobs, rawAudit, world } = await setup();
    const one = await link();
    const two = await link();
    const three = await link();
    two.service.hangs.add('revoke'); // the worker is stopped while waiting for account #2's service

    const first = engine({ timeoutMs: 60_000 });
    void first.signOutEverywhere(REASON).catch(() => undefined);
    await until(async () => {
      const states = statesOf((await rawJobs())[0]);
      return states[0] === 'local-done' && states[1] === 'server-sent' && states[2] === 'local-done';
    }, 'accounts #1 and #3 to finish');
    const callsBefore = { one: { ...one.service.calls }, three: { ...three.service.calls } };
    expect(callsBefore.one.revoke).toBe(1);
    const clearsBefore = world.browser.clears.length;

    // The worker is gone; a new one starts with healthy connectors.
    two.service.hangs.clear();
    const second = engine();
    const summaries = await second.resumeUnfinished();

    expect(summaries).toHaveLength(1);
    const [summary] = summaries;
    expect(summary).toMatchObject({ confirmed: 3, notConfirmed: 0, failed: 0 });
    expect(summary!.perAccount.map((p) => p.server)).toEqual([
      expect.objectContaining({ status: 'confirmed' }), expect.objectContaining({ status: 'confirmed' }), expect.objectContaining({ status: 'confirmed' }),
    ]);
    // Accounts #1 and #3 were not touched again; #2 was asked once more (the first request never got through).
    expect(one.service.calls).toEqual(callsBefore.one);
    expect(three.service.calls).toEqual(callsBefore.three);
    expect(two.service.calls.revoke).toBe(2);
    expect(two.service.sessions.size).toBe(0);
    expect(world.browser.clears.slice(clearsBefore)).toEqual([two.account.origin]);

    const [job] = await rawJobs();
    expect(job!.finishedAt).toEqual(expect.any(Number));
    expect(statesOf(job)).toEqual(['local-done', 'local-done', 'local-done']);
    expect((await second.lastJob())?.summary).toEqual(summary);
    // Exactly one server and one local record per account: nothing recorded twice.
    const audit = await rawAudit();
    for (const { account } of [one, two, three]) {
      expect(audit.filter((r) => r.accountId === account.id).map((r) => r.action).sort()).toEqual(['local-sign-out', 'sign-out-everywhere']);
    }
    expect(await second.resumeUnfinished()).toEqual([]);
  });

  const RESUMED_SIGNED_OUT = {
    status: 'not-confirmed',
    seen: "Revoke was interrupted just as it sent the request to end all sessions. This browser is signed out now, but that does not show the request took effect (a browser restart also ends a login here): check the site's list of sessions.",
  };

  it('does not confirm an "all" from this browser being signed out after a stop, even where the request did take effect', async () => {
    const { engine, link, rawJobs } = await setup();
    const a = await link();
    // The service ends every session, then the worker is stopped before the answer is recorded.
    const original = a.service.run.bind(a.service);
    a.service.run = (op, body) => (op === 'revoke' ? original(op, body).then(() => new Promise<never>(() => {})) : original(op, body));
    void engine({ timeoutMs: 60_000 }).signOutEverywhere(REASON).catch(() => undefined);
    await until(async () => a.service.sessions.size === 0, 'the service to end the sessions');
    expect(statesOf((await rawJobs())[0])).toEqual(['server-sent']);

    a.service.run = original;
    const [summary] = await engine().resumeUnfinished();
    expect(summary!.perAccount[0]!.server).toEqual(RESUMED_SIGNED_OUT);
    expect(summary!.perAccount[0]!.local).toMatchObject({ status: 'confirmed' });
    expect(a.service.calls.revoke).toBe(1);
  });

  it('does not confirm an "all" whose request never left when a browser restart dropped this browser\'s login', async () => {
    const { engine, link, name, world } = await setup();
    const a = await link();
    // The journal as a worker stopped just after marking the step sent leaves it (the mark comes
    // before the request); then the restart takes the session cookie with it.
    const db = await openSessionsDb(name);
    await putJob(db, { id: 'job', kind: 'sign-out-everywhere', startedAt: 1, reason: REASON,
      steps: [{ accountId: a.account.id, account: a.account, plan: 'all', state: 'server-sent' }] });
    db.close();
    world.browser.jar(a.account.origin).clear();
    const [summary] = await engine().resumeUnfinished();
    expect(summary!.perAccount[0]!.server).toEqual(RESUMED_SIGNED_OUT);
    expect(summary).toMatchObject({ confirmed: 0, notConfirmed: 1 });
    expect(a.service.calls.revoke).toBe(0);
    expect(a.service.sessions.size).toBe(3);
  });

  /**
   * The previous worker's request is still on its way when the new worker resumes: who-am-I still
   * says signed in, so the request is sent again. `firstMs` / `againMs`: how long each takes to
   * reach the service. The first worker never hears its answer (it was stopped).
   */
  async function resumeWithDuplicate(firstMs: number, againMs: number) {
    const { engine, link, rawJobs, rawAudit } = await setup();
    const a = await link();
    const original = a.service.run.bind(a.service);
    let revokes = 0;
    a.service.run = async (op, body) => {
      if (op !== 'revoke') return original(op, body);
      const first = ++revokes === 1;
      await sleep(first ? firstMs : againMs);
      const answer = original(op, body);
      // The stopped worker's request still takes effect on the service, but nobody reads its answer.
      return first ? answer.then(() => new Promise<never>(() => {}), () => new Promise<never>(() => {})) : answer;
    };
    void engine({ timeoutMs: 60_000 }).signOutEverywhere(REASON).catch(() => undefined);
    await until(async () => revokes === 1 && statesOf((await rawJobs())[0])[0] === 'server-sent', 'the first request');
    const [summary] = await engine().resumeUnfinished();
    await sleep(firstMs); // let the first request land, whatever the order
    return { a, summary: summary!, revokes, rawAudit };
  }

  it('confirms an "all" on resume when the earlier request ends the sessions first and the resent one hears "not signed in"', async () => {
    const { a, summary, rawAudit } = await resumeWithDuplicate(100, 250);
    expect(a.service.calls.revoke).toBe(2);
    expect(a.service.sessions.size).toBe(0);
    expect(summary.perAccount[0]!.server).toEqual({
      status: 'confirmed',
      seen: 'Signed out here. Revoke restarted while ending all sessions and sent the request again; the service said this browser was signed out by then, so the request sent before the restart took effect.',
    });
    expect(summary).toMatchObject({ confirmed: 1, failed: 0, notConfirmed: 0 });
    const audit = await rawAudit();
    expect(audit.filter((r) => r.action === 'sign-out-everywhere').map((r) => r.outcome.status)).toEqual(['confirmed']);
  });

  it('confirms an "all" on resume when the resent request ends the sessions before the earlier one lands', async () => {
    const { a, summary } = await resumeWithDuplicate(300, 0);
    expect(a.service.calls.revoke).toBe(2);
    expect(a.service.sessions.size).toBe(0);
    expect(summary.perAccount[0]!.server).toEqual({
      status: 'confirmed',
      seen: 'Signed out here after the service accepted the request to end all sessions (sent again after Revoke restarted).',
    });
  });

  it('does not confirm an "all" on resume when the service says "not signed in" but who-am-I still sees the account', async () => {
    const { engine, link, rawJobs } = await setup();
    const a = await link();
    a.service.hangs.add('revoke');
    void engine({ timeoutMs: 60_000 }).signOutEverywhere(REASON).catch(() => undefined);
    await until(async () => statesOf((await rawJobs())[0])[0] === 'server-sent', 'the request');
    a.service.hangs.clear();
    a.service.failNext = { op: 'revoke', error: new ConnectorError('signed-out', 'Not signed in.') };
    const [summary] = await engine().resumeUnfinished();
    expect(summary!.perAccount[0]!.server).toEqual({
      status: 'not-confirmed',
      seen: 'Still signed in here as ada@example.com, though the service answered "not signed in" when Revoke asked again after a restart.',
    });
    expect(a.service.sessions.size).toBe(3);
  });

  it('runs a step from the start when the stop came before anything was sent', async () => {
    const { engine, link, rawJobs } = await setup();
    const a = await link();
    a.service.hangs.add('whoami');
    void engine({ timeoutMs: 60_000 }).signOutEverywhere(REASON).catch(() => undefined);
    await until(async () => a.service.calls.whoami === 1 && (await rawJobs()).length === 1, 'the first whoami');
    expect(statesOf((await rawJobs())[0])).toEqual(['pending']);
    a.service.hangs.clear();
    const [summary] = await engine().resumeUnfinished();
    expect(summary).toMatchObject({ confirmed: 1 });
    expect(a.service.calls.revoke).toBe(1);
  });

  it('resumes the local step alone when the server step was recorded', async () => {
    const { engine, link, rawJobs, world } = await setup();
    const a = await link();
    const original = world.browser.local.clear;
    // The first worker stops inside its local step: wait until it is there, or it could still reach
    // the restored clear below and clear a second time.
    let stuck = false;
    (world.browser.local as { clear: LocalState['clear'] }).clear = () => {
      stuck = true;
      return new Promise<never>(() => {});
    };
    void engine({ timeoutMs: 60_000 }).signOutEverywhere(REASON).catch(() => undefined);
    await until(async () => stuck && statesOf((await rawJobs())[0])[0] === 'server-done', 'the server step');
    (world.browser.local as { clear: LocalState['clear'] }).clear = original;
    const [summary] = await engine().resumeUnfinished();
    expect(summary).toMatchObject({ confirmed: 1 });
    expect(a.service.calls.revoke).toBe(1);
    expect(world.browser.clears).toEqual([a.account.origin]);
  });

  it('finishes the job for an account unlinked since it started', async () => {
    const { engine, link, rawJobs, store } = await setup();
    const a = await link();
    a.service.hangs.add('revoke');
    void engine({ timeoutMs: 60_000 }).signOutEverywhere(REASON).catch(() => undefined);
    await until(async () => statesOf((await rawJobs())[0])[0] === 'server-sent', 'the request');
    await store.remove(a.account.id);
    a.service.hangs.clear();
    const [summary] = await engine().resumeUnfinished();
    expect(summary!.perAccount[0]).toMatchObject({ label: a.account.label, server: { status: 'confirmed' }, local: { status: 'confirmed' } });
  });

  it('leaves malformed journal records alone', async () => {
    const { engine, name } = await setup();
    const e = engine();
    expect(await e.resumeUnfinished()).toEqual([]);
    const db = await openDB(name);
    await db.put('journal', { id: 'junk', kind: 'sign-out-everywhere', steps: 'nope' });
    db.close();
    expect(await e.resumeUnfinished()).toEqual([]);
    expect(await e.lastJob()).toBeNull();
  });
});
