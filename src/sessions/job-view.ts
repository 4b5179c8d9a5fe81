/**
 * What pages see of "sign out everywhere" jobs, read from the journal (so it survives a worker
 * restart): a finished job's summary, and a running job's progress per account.
 */
import { say, type Said } from '../i18n/t';
import { accountName, type OnHost } from './account-name';
import type { Job, JobProgress, JobSummary, JobsView, RevokeOutcome } from './types';

/** Words for what pages read (see SessionEngineDeps.words). */
export type Words = (said: Said) => string;
const onHostIn = (words: Words): OnHost => (account, host) => words({ key: 'account_onHost', subs: [account, host] });

/** The summary of a job's recorded outcomes (see JobSummary for how accounts are counted). */
export function summariseJob(job: Job, words: Words = say): JobSummary {
  const summary: JobSummary = { jobId: job.id, perAccount: [], confirmed: 0, notConfirmed: 0, failed: 0, serverSkipped: 0 };
  const notRun: RevokeOutcome = { status: 'not-confirmed', seen: words({ key: 'seen_notRun' }) };
  for (const step of job.steps) {
    const server = step.server ?? notRun;
    const local = step.local ?? notRun;
    summary.perAccount.push({ accountId: step.accountId, label: step.account.label, name: accountName(step.account, undefined, onHostIn(words)), server, local });
    if (server === 'skipped') summary.serverSkipped++;
    const statuses = [server, local].flatMap((o) => (o === 'skipped' ? [] : [o.status]));
    if (statuses.includes('failed')) summary.failed++;
    else if (statuses.length === 0 || statuses.includes('not-confirmed')) summary.notConfirmed++;
    else summary.confirmed++;
  }
  return summary;
}

/** The oldest job the journal holds unfinished (jobs run one at a time; an older one is finished first). */
export function oldestUnfinished(jobs: readonly Job[]): Job | undefined {
  return jobs.filter((j) => j.finishedAt === undefined).sort((a, b) => a.startedAt - b.startedAt)[0];
}

/** Where each account of a running job is, and how many accounts are done (both steps recorded). */
export function progressOf(job: Job, words: Words = say): JobProgress {
  return {
    jobId: job.id,
    startedAt: job.startedAt,
    total: job.steps.length,
    done: job.steps.filter((s) => s.state === 'local-done').length,
    perAccount: job.steps.map((s) => ({
      accountId: s.accountId, label: s.account.label, name: accountName(s.account, undefined, onHostIn(words)), state: s.state,
      ...(s.server !== undefined && { server: s.server }),
      ...(s.local !== undefined && { local: s.local }),
    })),
  };
}

/** The running job (if any) and the newest finished one, as pages show them. */
export function jobsView(jobs: readonly Job[], words: Words = say): JobsView {
  const running = oldestUnfinished(jobs);
  const last = jobs
    .filter((j): j is Job & { finishedAt: number } => j.finishedAt !== undefined)
    .sort((a, b) => b.startedAt - a.startedAt)[0];
  return {
    running: running ? progressOf(running, words) : null,
    last: last ? { ...summariseJob(last, words), startedAt: last.startedAt, finishedAt: last.finishedAt } : null,
  };
}
