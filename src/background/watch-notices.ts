/**
 * What the watch tells the person, as browser notifications: a new sign-in (with "That was me" and
 * "End it" where the browser has notification buttons; Firefox has none, so there a click opens
 * the popup), what a rule did, and an account the audit cannot look at. The notification's id
 * names the account and the alert's random key, never a session id (for some services, its token).
 */
import type { Session } from '../connectors/types';
import { say, t, type MessageKey } from '../i18n/t';
import { othersHiddenText } from '../i18n/watch-text';
import { accountName } from '../sessions/account-name';
import type { LinkedAccount, RevokeOutcome } from '../sessions/types';
import { ruleSaid, type Watch, type WatchNotice } from '../sessions/watch-audit';
import { visibleText } from '../lib/untrusted-text';
import { displayIp } from '../lib/ipv6';
import type { PointAt } from '../lib/notice-hint';

const PREFIX = 'revoke-watch';

export interface Notifier {
  create(id: string, options: { type: 'basic'; iconUrl: string; title: string; message: string; buttons?: { title: string }[] }): Promise<unknown>;
  clear(id: string): Promise<unknown>;
}

export interface NoticeText {
  id: string;
  title: string;
  message: string;
  buttons?: { title: string }[];
}

const nameOf = (account: LinkedAccount) => accountName(account, undefined, (who, host) => t('account_onHost', who, host));

/** "Firefox on Linux, Berlin": the device as the service named it, and where from. Server text, made plain. */
export function sessionLine(s: Session): string {
  const named = s.browser && s.os ? t('session_browserOnOs', s.browser, s.os) : s.browser || s.os || s.device || t('session_unknownDevice');
  // The IP as the popup shows it: some services send IPv6 in full, eight groups of four digits.
  const where = s.location || (s.ip && displayIp(s.ip));
  return visibleText(where ? t('watch_fromWhere', named, where) : named);
}

function outcomeLine(o: RevokeOutcome): string {
  const head: MessageKey = o.status === 'confirmed' ? 'watch_outcome_confirmed' : o.status === 'not-confirmed' ? 'watch_outcome_notConfirmed' : 'watch_outcome_failed';
  return t(head, visibleText(o.status === 'failed' ? o.message : o.seen));
}

export function noticeText(n: WatchNotice, opts: { buttons: boolean; newId: () => string }): NoticeText {
  const host = new URL(n.account.origin).host;
  if (n.kind === 'new-sign-in') {
    return {
      id: `${PREFIX}|${n.account.id}|${n.key}`,
      title: t('watch_newSignIn_title', nameOf(n.account)),
      message: t(opts.buttons ? 'watch_newSignIn' : 'watch_newSignIn_click', sessionLine(n.session)),
      ...(opts.buttons ? { buttons: [{ title: t('watch_thatWasMe') }, { title: t('watch_endIt') }] } : {}),
    };
  }
  if (n.kind === 'rule-acted') {
    const what = n.action.kind === 'end' ? t('watch_ruleEnded', sessionLine(n.action.session), host) : t('watch_ruleSignedOutHere', host);
    // Which rule, as the audit log names it: a person who set several sees which one acted.
    return { id: `${PREFIX}-rule|${opts.newId()}`, title: t('watch_ruleActed_title', nameOf(n.account)), message: t('watch_ruleActed_message', say(ruleSaid(n.action.cause)), `${what} ${outcomeLine(n.outcome)}`) };
  }
  const why = n.problem.kind === 'signed-out' ? t('watch_problem_signedOut')
    : n.problem.hidden ? othersHiddenText(n.problem.hidden) : visibleText(n.problem.message);
  return { id: `${PREFIX}-problem|${n.account.id}`, title: t('watch_problem_title', nameOf(n.account)), message: t('watch_problem', why) };
}

/** The account and alert key a new-sign-in notification names, or null for any other notification. */
export function parseAlertId(id: string): { accountId: string; key: string } | null {
  const [prefix, accountId, key, ...rest] = id.split('|');
  return prefix === PREFIX && accountId && key && rest.length === 0 ? { accountId, key } : null;
}

export function createWatchNotices(deps: {
  notifications: Notifier;
  iconUrl: string;
  /** Chrome has notification buttons; Firefox does not. */
  buttons: boolean;
  /** Opens the popup (Firefox: a click on the notification). */
  openPopup(): Promise<void>;
  /** Tells the popup about to open which session to show (lib/notice-hint.ts). */
  pointAt(at: PointAt): Promise<void>;
  newId?: () => string;
  /** Test builds keep what was shown, so a test can read it and press its buttons. */
  shown?: NoticeText[];
}) {
  const newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  async function show(text: NoticeText): Promise<void> {
    deps.shown?.push(text);
    const { id, ...rest } = text;
    await deps.notifications.create(id, { type: 'basic', iconUrl: deps.iconUrl, ...rest }).catch(() => undefined);
  }

  return {
    tell: (n: WatchNotice) => show(noticeText(n, { buttons: deps.buttons, newId })),

    /** "That was me" (0) or "End it" (1) on a new-sign-in notification; what ending did is told in a new one. */
    async onButton(watch: Watch, id: string, index: number): Promise<void> {
      const alert = parseAlertId(id);
      if (!alert) return;
      await deps.notifications.clear(id).catch(() => undefined);
      if (index === 0) {
        await watch.thatWasMe(alert.accountId, alert.key);
        return;
      }
      const ended = await watch.endIt(alert.accountId, alert.key, t('watch_reason_alert'));
      if (!ended) return;
      await show({
        id: `${PREFIX}-ended|${newId()}`,
        title: t('watch_endedResult_title', nameOf(ended.account)),
        message: `${t('watch_ruleEnded', sessionLine(ended.session), new URL(ended.account.origin).host)} ${outcomeLine(ended.outcome)}`,
      });
    },

    /**
     * A click on a new-sign-in notification opens the popup on that session (on its account when the
     * alert is gone meanwhile). The notification names only the alert's key: the session comes from the watch.
     */
    async onClick(watch: Pick<Watch, 'alertSession'>, id: string): Promise<void> {
      const alert = parseAlertId(id);
      if (!alert) return;
      await deps.notifications.clear(id).catch(() => undefined);
      const session = await watch.alertSession(alert.accountId, alert.key).catch(() => undefined);
      // Left before the popup opens, so it is there when the popup reads it.
      await deps.pointAt(session ? { accountId: alert.accountId, sessionId: session.id } : { accountId: alert.accountId }).catch(() => undefined);
      await deps.openPopup();
    },
  };
}
