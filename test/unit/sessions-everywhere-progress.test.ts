/**
 * What pages can see of "sign out everywhere" while it runs and after a restart: the running
 * job's progress, the last job's summary, each account's cached view as its steps finish, and a
 * request made right after a restart joining the job the journal holds.
 */
import { describe, expect, it } from 'vitest';
import { sleep } from './sessions-world';
import { REASON, setup, statesOf, until } from './sessions-journal-setup';

describe('sign out everywhere, as pages see it', () => {
  it('reports the running job per account, then the finished one', async () => {
    const { engine, link, rawJobs } = await setup();
    const fast = await link();
    const slow = await link('fake-others');
    slow.service.delay = 150;
    const e = engine();
    expect(await e.jobs()).toEqual({ running: null, last: null });

    const done = e.signOutEverywhere(REASON);
    await until(async () => statesOf((await rawJobs())[0])[0] === 'local-done', 'the fast account');
    const { running, last } = await e.jobs();
    expect(last).toBeNull();
    expect(running).toMatchObject({ jobId: expect.any(String), done: 1, total: 2 });
    expect(running!.perAccount).toEqual([
      expect.objectContaining({ accountId: fast.account.id, label: fast.account.label, state: 'local-done', server: expect.objectContaining({ status: 'confirmed' }) }),
      expect.objectContaining({ accountId: slow.account.id, state: expect.stringMatching(/^(pending|server-sent)$/) }),
    ]);
    expect(running!.perAccount[1]).not.toHaveProperty('server');

    const summary = await done;
    const after = await e.jobs();
    expect(after.running).toBeNull();
    expect(after.last).toEqual({ ...summary, startedAt: running!.startedAt, finishedAt: expect.any(Number) });
  });

  it("updates each account's cached view as its step finishes, before a slow account is done", async () => {
    const { engine, link } = await setup();
    const fast = await link();
    const others = await link('fake-others');
    const slow = await link();
    slow.service.delay = 300;
    const e = engine();
    await e.gather();
    const job = e.signOutEverywhere(REASON);
    await until(async () => {
      const byId = new Map((await e.cached()).map((c) => [c.account.id, c.result]));
      return byId.get(fast.account.id)?.state === 'signed-out' && byId.get(others.account.id)?.state === 'signed-out';
    }, 'the fast accounts to show as signed out', 250);
    // The slow account still shows what was last seen, and its sign-out is still under way.
    expect((await e.cached()).find((c) => c.account.id === slow.account.id)?.result).toMatchObject({ state: 'ok' });
    expect((await e.jobs()).running).not.toBeNull();
    await job;
    expect((await e.cached()).map((c) => c.result)).toEqual([{ state: 'signed-out' }, { state: 'signed-out' }, { state: 'signed-out' }]);
  });

  it('keeps the signed-out view when a look that began before the sign-out ends after it', async () => {
    const { engine, link } = await setup();
    const a = await link();
    const original = a.service.run.bind(a.service);
    let slowList = true;
    a.service.run = async (op, body) => {
      if (op !== 'list' || !slowList) return original(op, body);
      slowList = false;
      const answer = await original(op, body); // the sessions as they were when the service answered
      await sleep(200); // ...arriving late
      return answer;
    };
    const e = engine();
    const look = e.gather();
    await until(async () => a.service.calls.list === 1, 'the look to list the sessions');
    await e.signOutEverywhere(REASON);
    const [fresh] = await look;
    expect(fresh!.result).toMatchObject({ state: 'ok' }); // what the look saw, returned to its caller
    expect((await e.cached())[0]!.result).toEqual({ state: 'signed-out' }); // but not stored over the newer view
  });

  it('finishes the journalled job when asked again right after a restart, instead of sending everything twice', async () => {
    const { engine, link, rawJobs } = await setup();
    const a = await link();
    const b = await link();
    a.service.hangs.add('revoke');
    void engine({ timeoutMs: 60_000 }).signOutEverywhere(REASON).catch(() => undefined);
    await until(async () => {
      const states = statesOf((await rawJobs())[0]);
      return states[0] === 'server-sent' && states[1] === 'local-done';
    }, 'account b to finish and a to wait');
    a.service.hangs.clear();

    // A new worker: the popup's request arrives before resumeUnfinished ran (or while it reads the journal).
    const second = engine();
    const [asked, resumed] = await Promise.all([second.signOutEverywhere({ kind: 'other', text: 'again' }), second.resumeUnfinished()]);
    expect(asked).toMatchObject({ confirmed: 2, failed: 0, notConfirmed: 0 });
    expect(resumed).toEqual([asked]);
    const jobs = await rawJobs();
    expect(jobs).toHaveLength(1);
    expect(statesOf(jobs[0])).toEqual(['local-done', 'local-done']);
    expect(a.service.calls.revoke).toBe(2); // the stopped request, and the one resent on resume
    expect(b.service.calls.revoke).toBe(1); // finished before the restart: not asked again
  });
});
