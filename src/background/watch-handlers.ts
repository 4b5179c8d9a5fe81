/** Protocol handlers of the watch: its schedule, each account's rules, "known" sessions, an audit now. */
import { AppError, type WatchState } from '../lib/messages';
import type { AccountStore } from '../sessions/accounts';
import type { SessionsDb } from '../sessions/db';
import { rulesFor, sanitizeRules } from '../sessions/rules';
import type { Capabilities } from '../connectors/types';
import type { LinkedAccount } from '../sessions/types';
import type { Watch } from '../sessions/watch-audit';
import { readAllWatch, updateWatch } from '../sessions/watch-store';
import type { WatchHandlers } from './router';
import type { WatchSchedule } from './watch-schedule';

export function createWatchHandlers(deps: {
  watch: Watch;
  schedule: WatchSchedule;
  accounts: Pick<AccountStore, 'list' | 'get'>;
  db: () => Promise<SessionsDb>;
  /** What the account's connector can do (whether it says when this browser's session began). */
  can(account: LinkedAccount): Capabilities | undefined;
}): WatchHandlers {
  async function state(): Promise<WatchState> {
    const [everyHours, linked, records] = await Promise.all([deps.schedule.everyHours(), deps.accounts.list(), deps.db().then(readAllWatch)]);
    return {
      everyHours,
      accounts: linked.map((a) => {
        const r = records.get(a.id);
        return {
          accountId: a.id,
          rules: sanitizeRules(r?.rules),
          ...(r?.memory.lastRunAt !== undefined ? { lastRunAt: r.memory.lastRunAt } : {}),
          ...(r?.memory.problem ? { problem: r.memory.problem } : {}),
        };
      }),
    };
  }

  return {
    'watch/state': state,
    'watch/schedule': async ({ everyHours }) => {
      await deps.schedule.set(everyHours);
      return state();
    },
    'watch/rules': async ({ accountId, rules }) => {
      const account = await deps.accounts.get(accountId);
      const kept = account && rulesFor(sanitizeRules(rules), deps.can(account));
      const written = kept && (await updateWatch(await deps.db(), accountId, (r) => ({ ...r, rules: kept })));
      if (!written) throw new AppError('not-found', 'That account is no longer linked.', { key: 'account_gone' });
      return state();
    },
    'watch/run': async () => {
      const audits = await deps.watch.run('schedule');
      // Counts and why not, for the page's status line; the sessions themselves stay here.
      const audited = audits.map(({ accountId, newSignIns, acted, failure }) => ({
        accountId, newSignIns: newSignIns.length, ruleActions: acted.length, ...(failure ? { failure } : {}),
      }));
      return { state: await state(), audited };
    },
    'watch/known': async ({ accountId, sessionId }) => {
      // The popup sends the ids it shows: a bug, so plain English for the log.
      if (typeof accountId !== 'string' || typeof sessionId !== 'string') throw new AppError('invalid-input', 'Name the account and the session.');
      if (!(await deps.watch.markKnown(accountId, sessionId))) throw new AppError('not-found', 'That session is no longer listed.', { key: 'words_sessionGone' });
      return null;
    },
  };
}
