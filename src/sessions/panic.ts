/**
 * Panic: sign out of everything this browser holds, except the sites the person keeps. In order:
 *   1. every linked account not on a kept site, through sign out everywhere's own steps (its
 *      connector's sign-out with its check, then this browser's login state for its origin); within
 *      a site every server step finishes before any local clear, as in jobs.ts
 *   2. then every cookie of every site not kept, and the site data of the origins seen there
 *   3. then the cookies are read again: a site is confirmed clear only when none of its cookies is left
 * One audit record holds the whole run, a line per site. What is planned is in panic-plan.ts.
 *
 * Not journalled, unlike sign out everywhere: a worker stopped halfway leaves what it did not reach,
 * and pressing panic again does the rest (every step is safe to repeat).
 */
import { capabilitiesOf } from '../connectors/types';
import { accountName } from './account-name';
import { isWebOrigin } from './everywhere-plan';
import { confirmed, failed, failedFrom, notConfirmed } from './outcomes';
import { planPanic, siteOfOrigin, type BrowserSites, type PlannedSite } from './panic-plan';
import { appendAudit, readAccounts } from './db';
import type { EngineCore } from './engine-core';
import type { Ending } from './ending';
import type { PluralKey, Said } from '../i18n/t';
import type { AuditReason, AuditRecord, PanicAccountLine, PanicReport, PanicSiteReport, RevokeOutcome } from './types';

export interface PanicRequest {
  keep: readonly string[];
  reason: AuditReason;
  sites: BrowserSites;
}

/** A site's worst outcome (failed > not-confirmed > confirmed); null for a kept site. */
/** Every outcome recorded for a site: its accounts' steps, then its clear. */
export function outcomesOf(s: PanicSiteReport): RevokeOutcome[] {
  const steps: (RevokeOutcome | 'skipped')[] = s.accounts.flatMap((a) => [a.server, a.local]);
  return [...steps, ...(s.cleared ? [s.cleared] : [])].filter((o): o is RevokeOutcome => o !== 'skipped');
}

export function siteStatus(s: PanicSiteReport): RevokeOutcome['status'] | null {
  if (s.kept) return null;
  const all = outcomesOf(s).map((o) => o.status);
  return all.includes('failed') ? 'failed' : all.includes('not-confirmed') || all.length === 0 ? 'not-confirmed' : 'confirmed';
}

/**
 * The run in one sentence for the audit log: "Panic: 1 site signed out, 2 sites kept." Each count
 * is a plural of its own, and a count of zero is left out; none at all says there was no site.
 */
export function panicCountsText(report: Pick<PanicReport, 'confirmed' | 'browserOnly' | 'notConfirmed' | 'failed' | 'kept'>, words: (said: Said) => string): string {
  const counts: [PluralKey, number][] = [
    ['panic_audit_signedOut', report.confirmed], ['panic_audit_browserOnly', report.browserOnly],
    ['panic_audit_notConfirmed', report.notConfirmed], ['panic_audit_failed', report.failed], ['panic_audit_kept', report.kept],
  ];
  const parts = counts.filter(([, n]) => n > 0).map(([plural, count]) => words({ plural, count }));
  if (parts.length === 0) return words({ key: 'panic_audit_none' });
  const list = parts.reduce((joined, next) => words({ key: 'panic_audit_list', subs: [joined, next] }));
  return words({ key: 'panic_audit_counts', subs: [list] });
}

export function createPanic(core: EngineCore, ending: Pick<Ending, 'endOnServer' | 'clearLocal'>) {
  const { deps, now, newId, words, w, wp, remember } = core;
  let running: Promise<PanicReport> | null = null;

  /** One of sign out everywhere's two steps for an account (jobs.ts's serverStep and localStep, without the journal). */
  async function accountStep({ account, plan }: PlannedSite['accounts'][number], phase: 'server' | 'local'): Promise<RevokeOutcome | 'skipped'> {
    if (phase === 'local') return isWebOrigin(account.origin) ? ending.clearLocal(account) : 'skipped';
    const connector = deps.connectorById(account.connectorId);
    if (plan === 'none' && connector) return 'skipped';
    const { outcome, observed } = await ending.endOnServer(account, connector, plan === 'none' ? 'all' : plan);
    await remember(account.id, observed);
    return outcome;
  }

  /**
   * Step 1 for the accounts of the sites not kept: sites in parallel; within a site (cookies do not
   * cross it) every server step before any local clear, which could sign a sibling account out first.
   */
  async function signOutAccounts(plan: PlannedSite[]): Promise<Map<string, PanicAccountLine>> {
    const lines = new Map<string, PanicAccountLine>();
    const settle = async (task: () => Promise<RevokeOutcome | 'skipped'>) => task().catch((e: unknown) => failedFrom(e));
    const onHost = (who: string, host: string) => w('account_onHost', who, host);
    await Promise.all(
      plan.filter((site) => !site.kept && site.accounts.length > 0).map(async ({ accounts }) => {
        for (const { account } of accounts) {
          const connector = deps.connectorById(account.connectorId);
          lines.set(account.id, {
            accountId: account.id, name: accountName(account, undefined, onHost),
            endsOthers: connector ? capabilitiesOf(connector, account).revokeOthers : false, server: 'skipped', local: 'skipped',
          });
        }
        await Promise.all(accounts.map(async (a) => (lines.get(a.account.id)!.server = await settle(() => accountStep(a, 'server')))));
        await Promise.all(accounts.map(async (a) => (lines.get(a.account.id)!.local = await settle(() => accountStep(a, 'local')))));
      }),
    );
    return lines;
  }

  /** Steps 2 and 3: every cookie and the site data of the sites not kept, then what is left of them. */
  async function clearSites(request: PanicRequest, plan: PlannedSite[], origins: Map<string, Set<string>>): Promise<Map<string, RevokeOutcome>> {
    const targets = plan.filter((s) => !s.kept);
    const results = new Map<string, RevokeOutcome>();
    if (targets.length === 0) return results;
    try {
      await request.sites.clear(targets.map((s) => s.site), targets.flatMap((s) => [...(origins.get(s.site) ?? [])]));
    } catch (e) {
      // Errors here come from the browser's APIs, most often a missing permission.
      for (const s of targets) results.set(s.site, failedFrom(e, 'permission'));
      return results;
    }
    let left: Map<string, string[]>;
    try {
      left = new Map();
      for (const c of await request.sites.cookies()) {
        const site = siteOfOrigin(`http://${c.domain.replace(/^\./, '')}`);
        left.set(site, [...(left.get(site) ?? []), c.name]);
      }
    } catch (e) {
      for (const s of targets) results.set(s.site, notConfirmed(w('panic_seen_unchecked', s.site, e instanceof Error ? e.message : String(e))));
      return results;
    }
    for (const s of targets) {
      const names = [...new Set(left.get(s.site) ?? [])];
      const only = s.accounts.length === 0 ? ` ${w('panic_seen_browserOnly', s.site)}` : '';
      results.set(s.site, names.length === 0
        ? confirmed(`${w('panic_seen_cleared', s.site)}${only}`)
        : notConfirmed(wp('panic_seen_left', names.length, s.site, names.slice(0, 10).join(', '))));
    }
    return results;
  }

  async function run(request: PanicRequest): Promise<PanicReport> {
    const startedAt = now();
    const db = await deps.db();
    const cookies = await request.sites.cookies();
    const plan = planPanic({ cookies, accounts: await readAccounts(db), keep: request.keep, connectorById: deps.connectorById });
    // The origins whose site data goes: every host a cookie of the site lives on, and the accounts' own.
    const origins = new Map<string, Set<string>>();
    const add = (site: string, origin: string) => origins.set(site, (origins.get(site) ?? new Set()).add(origin));
    for (const c of cookies) {
      const host = c.domain.replace(/^\./, '');
      const site = siteOfOrigin(`http://${host}`);
      add(site, `https://${host}`);
      add(site, `http://${host}`);
    }
    for (const s of plan) for (const a of s.accounts) if (isWebOrigin(a.account.origin)) add(s.site, a.account.origin);

    const lines = await signOutAccounts(plan);
    const cleared = await clearSites(request, plan, origins);
    const sites: PanicSiteReport[] = plan.map((s) => ({
      site: s.site, kept: s.kept, cookies: s.cookies,
      accounts: s.kept ? [] : s.accounts.map((a) => lines.get(a.account.id)!),
      ...(cleared.has(s.site) ? { cleared: cleared.get(s.site)! } : {}),
    }));
    const report: PanicReport = { id: newId(), startedAt, finishedAt: now(), sites, confirmed: 0, browserOnly: 0, notConfirmed: 0, failed: 0, kept: 0 };
    for (const s of sites) {
      const status = siteStatus(s);
      if (status === null) report.kept++;
      else if (status === 'confirmed' && s.accounts.length === 0) report.browserOnly++;
      else if (status === 'confirmed') report.confirmed++;
      else if (status === 'not-confirmed') report.notConfirmed++;
      else report.failed++;
    }
    await appendAudit(db, panicRecord(report, request.reason));
    return report;
  }

  function panicRecord(report: PanicReport, reason: AuditReason): AuditRecord {
    const text = panicCountsText(report, words);
    const firstFailure = report.sites.flatMap(outcomesOf).find((o): o is Extract<RevokeOutcome, { status: 'failed' }> => o.status === 'failed');
    const outcome = firstFailure ? failed(firstFailure.kind, text) : report.notConfirmed > 0 ? notConfirmed(text) : confirmed(text);
    return {
      id: report.id, at: report.finishedAt, accountId: '', accountLabel: '', connectorId: '', origin: '',
      action: 'panic', outcome, reason, panic: report.sites,
    };
  }

  return {
    /** Runs panic; a second call while one runs joins it. Never rejects for a site's failure. */
    panic(request: PanicRequest): Promise<PanicReport> {
      if (running) return running;
      const job = run(request);
      running = job;
      const done = () => {
        running = null;
      };
      job.then(done, done);
      return job;
    },
  };
}
