/**
 * Jobs: "sign out everywhere", journalled in IndexedDB before anything is sent, each account's
 * step recorded as it completes, so a service worker stopped halfway finishes the job when it
 * starts again (`resumeUnfinished`). Why re-running a step is safe is explained at `serverStep`.
 */
import { checkReason } from './checks';
import { cookieSite, isWebOrigin, planFor } from './everywhere-plan';
import { jobsView, oldestUnfinished, summariseJob } from './job-view';
import { batched } from './batch';
import { finishJob, putJob, readAccounts, readAccountsById, readJobs, updateJobSteps, type StepUpdate } from './db';
import { type AuditRecord, type Job, type JobStep, type JobSummary, type LinkedAccount } from './types';
import type { SessionEngine } from './engine';
import type { EngineCore } from './engine-core';
import type { Ending } from './ending';

export function createJobs(core: EngineCore, ending: Pick<Ending, 'endOnServer' | 'clearLocal'>) {
  const { deps, now, newId, words, remember, auditRecord } = core;
  const { endOnServer, clearLocal } = ending;
  /** Jobs running in this engine, so a second request or a resume joins rather than runs them twice. */
  const running = new Map<string, Promise<JobSummary>>();

  // Group commit (batch.ts): accounts running in parallel share transactions instead of queueing.
  const writeStep = batched(async (updates: StepUpdate[]) => updateJobSteps(await deps.db(), updates));
  const readLinked = batched(async (ids: string[]) => readAccountsById(await deps.db(), ids));

  /** Records a step's change (with its audit record, in the same transaction); resolves once committed. */
  async function saveStep(job: Job, step: JobStep, change: Partial<Pick<JobStep, 'state' | 'server' | 'local'>>, audit?: AuditRecord) {
    await writeStep({ jobId: job.id, accountId: step.accountId, change, ...(audit && { audit }) });
    Object.assign(step, change);
  }

  /** The account as linked now, or as it was when the job started if it was unlinked since. */
  async function accountFor(step: JobStep): Promise<LinkedAccount> {
    return (await readLinked(step.accountId)) ?? step.account;
  }

  /**
   * The server step of one account. Safe to run again after a stop at any point, because every
   * path ends in a check of the goal state rather than in trusting what was sent:
   *   - 'others': asking again to end the other sessions is harmless, and the check lists what is left.
   *   - 'all': before sending, the account must be seen signed in. On a first run, "signed out"
   *     then means nothing can be ended from here: 'failed' (signed-out), never a claim. Found in
   *     'server-sent' on resume, the request went out while the account was signed in; if it is
   *     signed out now, this browser's session ended after the request, which is exactly what the
   *     check of a completed 'all' looks for: 'confirmed', saying it was resumed. Signed in still:
   *     the request is sent again. The earlier one may still be on its way (a stopped worker's
   *     request is not recalled), so either may land second and hear "not signed in": the resent
   *     one's "not signed in" is then checked with who-am-I (see afterRefusedResend), never 'failed'.
   *   - the outcome and its audit record are written in one transaction, so a recorded step is
   *     never repeated, and an unrecorded one is repeated whole (with its audit record).
   */
  async function serverStep(job: Job, step: JobStep): Promise<void> {
    if (step.state === 'server-done' || step.state === 'local-done') return;
    const account = await accountFor(step);
    const connector = deps.connectorById(account.connectorId);
    if (step.plan === 'none' && connector) {
      await saveStep(job, step, { state: 'server-done', server: 'skipped' });
      return;
    }
    const target = step.plan === 'none' ? 'all' : step.plan; // no connector: endOnServer reports 'unsupported'
    const { outcome, observed } = await endOnServer(account, connector, target, {
      resumedAfterSend: step.state === 'server-sent',
      beforeSend: () => saveStep(job, step, { state: 'server-sent' }),
    });
    await Promise.all([
      saveStep(job, step, { state: 'server-done', server: outcome }, auditRecord(account, 'sign-out-everywhere', outcome, job.reason, { jobId: job.id })),
      // Pages show the cached view: sessions this step ended leave it now, not when the whole job is done.
      remember(account.id, observed),
    ]);
  }

  /** The local step: clearing is idempotent, and the check (no cookies left) is of the goal state. */
  async function localStep(job: Job, step: JobStep): Promise<void> {
    if (step.state !== 'server-done') return; // local-done already, or the server step's record failed: left for a resume
    const account = await accountFor(step);
    if (!isWebOrigin(account.origin)) {
      await saveStep(job, step, { state: 'local-done', local: 'skipped' });
      return;
    }
    const outcome = await clearLocal(account);
    await saveStep(job, step, { state: 'local-done', local: outcome }, auditRecord(account, 'local-sign-out', outcome, job.reason, { jobId: job.id }));
  }

  /**
   * Runs what is left of a job. Accounts run in parallel, except that within one cookie site
   * (see cookieSite) every server step finishes before any local clear starts. Local clears run
   * even after a failed server step: clearing this browser is still what the person asked for.
   */
  async function runJob(job: Job): Promise<JobSummary> {
    const groups = new Map<string, JobStep[]>();
    for (const step of job.steps) {
      const key = cookieSite(step.account.origin);
      groups.set(key, [...(groups.get(key) ?? []), step]);
    }
    const errors: unknown[] = [];
    const collect = (results: PromiseSettledResult<void>[]) => {
      for (const r of results) if (r.status === 'rejected') errors.push(r.reason);
    };
    await Promise.all(
      [...groups.values()].map(async (steps) => {
        collect(await Promise.allSettled(steps.map((step) => serverStep(job, step))));
        collect(await Promise.allSettled(steps.map((step) => localStep(job, step))));
      }),
    );
    // A step that could not be recorded leaves the job unfinished, to be completed by resumeUnfinished.
    if (errors.length > 0) throw errors[0];
    return summariseJob(await finishJob(await deps.db(), job.id, now()), words);
  }

  function track(jobId: string, promise: Promise<JobSummary>): Promise<JobSummary> {
    running.set(jobId, promise);
    const done = () => running.delete(jobId);
    promise.then(done, done);
    return promise;
  }

  /** Runs a journalled job unless this engine already runs it (checked and tracked with no await between). */
  function runOnce(job: Job): Promise<JobSummary> {
    return running.get(job.id) ?? track(job.id, runJob(job));
  }

  const api: Pick<SessionEngine, 'signOutEverywhere' | 'resumeUnfinished' | 'lastJob' | 'jobs'> = {
    async signOutEverywhere(reason) {
      // Nothing is awaited before `track`: a second call made at once joins this job.
      const checkedReason = checkReason(reason);
      const inFlight = running.values().next();
      if (!inFlight.done) return inFlight.value;
      const jobId = newId();
      return track(
        jobId,
        (async () => {
          const db = await deps.db();
          // Asked right after a restart, before resumeUnfinished picked the stopped job up: finish that
          // job rather than start another, which would send every request a second time.
          const unfinished = oldestUnfinished(await readJobs(db));
          if (unfinished) return runOnce(unfinished);
          const accounts = await readAccounts(db);
          const job: Job = {
            id: jobId, kind: 'sign-out-everywhere', startedAt: now(), reason: checkedReason,
            steps: accounts.map((account) => ({
              accountId: account.id, account, plan: planFor(deps.connectorById(account.connectorId), account), state: 'pending',
            })),
          };
          // Recorded before anything is sent: a worker stopped from here on finishes the job when it starts again.
          await putJob(db, job);
          return runJob(job);
        })(),
      );
    },

    async resumeUnfinished() {
      const unfinished = (await readJobs(await deps.db()))
        .filter((job) => job.finishedAt === undefined)
        .sort((a, b) => a.startedAt - b.startedAt);
      const summaries: JobSummary[] = [];
      for (const job of unfinished) summaries.push(await runOnce(job));
      return summaries;
    },

    async lastJob() {
      const jobs = await readJobs(await deps.db());
      const newest = jobs.sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1))[0];
      if (!newest) return null;
      return { job: newest, summary: newest.finishedAt === undefined ? null : summariseJob(newest, words) };
    },

    async jobs() {
      return jobsView(await readJobs(await deps.db()), words);
    },
  };
  return { ...api };
}
