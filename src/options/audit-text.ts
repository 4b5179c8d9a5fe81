/** The audit log's words: what each action, reason and outcome is called on the page (and searched by). */
import type { AuditRecord } from '../sessions/types';
import type { OutcomeStatus } from '../sessions/audit-log';
import { ruleOf } from '../sessions/audit-log';
import { accountName } from '../sessions/account-name';
import type { OutcomeSubject } from '../ui/outcome-text';
import { onHost, sessionTitle } from '../ui/session-bits';
import { panicSitesText } from '../ui/PanicSites';
import { t, type MessageKey } from '../i18n/t';

export const ACTION_TEXT: Record<AuditRecord['action'], MessageKey> = {
  'revoke-one': 'audit_revokeOne',
  'revoke-others': 'audit_revokeOthers',
  'revoke-all': 'audit_revokeAll',
  'local-sign-out': 'audit_localSignOut',
  'sign-out-everywhere': 'audit_everywhere',
  panic: 'panic_audit_title',
};

const REASON_KIND_TEXT: Record<string, MessageKey> = {
  unrecognised: 'audit_reason_unrecognised', 'lost-device': 'reason_lostDevice', 'shared-computer': 'reason_sharedComputer',
  other: 'audit_reason_other', rule: 'audit_reason_ruleKind',
};

/** A reason kind as a filter choice; a kind this version does not know shows as it is stored. */
export const reasonKindText = (kind: string): string => (Object.hasOwn(REASON_KIND_TEXT, kind) ? t(REASON_KIND_TEXT[kind]!) : kind);

export const OUTCOME_TEXT: Record<OutcomeStatus, MessageKey> = {
  confirmed: 'audit_outcome_confirmed', 'not-confirmed': 'audit_outcome_notConfirmed', failed: 'audit_outcome_failed',
};

export function reasonText(r: AuditRecord['reason']): string {
  if (r.kind === 'rule') return t('audit_reason_rule', r.rule);
  const kind = reasonKindText(r.kind);
  return r.text ? t('audit_reason_withText', kind, r.text) : kind;
}

/** A rule the record names apart from its reason (see ruleOf), to be shown on a line of its own. */
export function extraRule(r: AuditRecord): string | undefined {
  const rule = ruleOf(r);
  return rule !== undefined && !(r.reason.kind === 'rule' && r.reason.rule === rule) ? rule : undefined;
}

/**
 * The account's name as it was recorded. Records from before names were kept hold only the label
 * of the time: shown with the site, not with today's sign-in, which may not be who it was then.
 */
export function recordName(r: AuditRecord): string {
  // Panic's one record is about every site, not one account (its sites are in its lines).
  if (r.action === 'panic') return t('panic_audit_title');
  return r.accountName ?? accountName({ label: r.accountLabel, origin: r.origin }, undefined, onHost);
}

/** What the attempt was about, for its result sentence (the site is in the record's name). */
export function subjectOf(r: AuditRecord): OutcomeSubject {
  switch (r.action) {
    case 'revoke-one': return { what: r.session ? t('what_session', sessionTitle(r.session)) : t('what_aSession') };
    case 'revoke-others': return { what: t('what_everyOtherSession') };
    case 'revoke-all': return { what: t('what_everySession') };
    case 'local-sign-out': return { what: t('what_thisBrowsersLogin'), verb: 'clear' };
    case 'sign-out-everywhere': return { what: t('what_theSessions') };
    case 'panic': return { what: t('panic_what_site') };
  }
}

/**
 * What the page says about a record, so search finds the words on screen in the person's language:
 * for a panic also its lines (each site, its accounts and every outcome sentence, as PanicSites shows them).
 */
export function shownText(r: AuditRecord): string {
  return [
    t(ACTION_TEXT[r.action]), reasonText(r.reason), recordName(r), t(OUTCOME_TEXT[r.outcome.status]),
    ...(r.panic ? [panicSitesText(r.panic)] : []),
  ].join('\n');
}
