/**
 * Linked accounts, each with its state, a re-check and unlink (which gives the site's permission
 * back), above the form that links another.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AccountView } from '../lib/messages';
import { describeChecked, describeResult, type Said } from '../ui/account-result';
import { call, errorText } from '../ui/client';
import { LinkAccountForm } from '../ui/LinkAccountForm';
import { Untrusted } from '../ui/Untrusted';
import { visibleText } from '../lib/untrusted-text';
import { t } from '../i18n/t';
import { AccountTitle, viewName } from '../ui/session-bits';
import { focusByKey } from '../ui/focus';
import { isProvider, SIGNS_IN_THROUGH } from '../sessions/sign-in-through';

/** Focus keys (ui/focus.ts): the section's heading, and each account's Unlink button. */
const HEADING_FOCUS = 'accounts-heading';
const unlinkKey = (accountId: string) => `unlink|${accountId}`;

export function AccountsSection() {
  const [views, setViews] = useState<AccountView[]>([]);
  const [message, setMessage] = useState<Said | null>(null);
  /** Where focus goes once the list shows an unlink: a focus key. */
  const [focusAfter, setFocusAfter] = useState<string | null>(null);
  const section = useRef<HTMLElement>(null);

  const load = async () => setViews(await call('sessions/overview', null));
  useEffect(() => {
    void load();
  }, []);

  async function recheck(accountId: string) {
    try {
      const [v] = await call('sessions/refresh', { accountIds: [accountId] });
      setMessage(describeResult(v?.result));
      await load();
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  }

  async function unlink(v: AccountView) {
    const name = visibleText(viewName(v));
    if (!confirm(t('accounts_unlinkConfirm', name))) return;
    try {
      await call('accounts/unlink', { accountId: v.account.id });
      setMessage({ kind: 'okay', text: t('accounts_unlinked', name) });
      // The button pressed goes with its row: focus moves to the row that takes its place (else the
      // one before it), or to the heading when none is left, never to the page's body.
      const at = views.findIndex((x) => x.account.id === v.account.id);
      const rest = views.filter((x) => x.account.id !== v.account.id);
      const next = rest[Math.min(at, rest.length - 1)];
      setFocusAfter(next ? unlinkKey(next.account.id) : HEADING_FOCUS);
      await load();
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  }

  useLayoutEffect(() => {
    if (focusAfter && section.current && focusByKey(section.current, focusAfter)) setFocusAfter(null);
  }, [focusAfter, views]);

  const providers = views.filter((v) => isProvider(v.account)).map((v) => ({ id: v.account.id, name: viewName(v) }));
  const throughName = (v: AccountView) => providers.find((p) => p.id === v.account.settings[SIGNS_IN_THROUGH])?.name;

  return (
    <section class="stack" aria-labelledby="accounts-h" ref={section}>
      <h2 id="accounts-h" tabIndex={-1} data-focus-key={HEADING_FOCUS}>{t('accounts_heading')}</h2>
      {views.length === 0 ? <p class="muted">{t('sessions_none')}</p> : (
        <ul class="entries" aria-label={t('accounts_heading')}>
          {views.map((v) => {
            const d = describeChecked(v.result, v.fetchedAt, Date.now());
            return (
              <li class="card row" key={v.account.id} data-account-id={v.account.id}>
                <div class="grow">
                  <div><AccountTitle view={v} /></div>
                  {throughName(v) && <div class="muted small">{t('oidc_signsInThroughShown')} <Untrusted text={throughName(v)!} /></div>}
                  <div class={`${d.kind} small`}>{d.text}</div>
                </div>
                <button onClick={() => recheck(v.account.id)} aria-label={t('accounts_recheck_label', v.account.origin)}>{t('accounts_recheck')}</button>
                <button class="danger" data-focus-key={unlinkKey(v.account.id)} onClick={() => unlink(v)} aria-label={t('accounts_unlink_label', v.account.origin)}>{t('accounts_unlink')}</button>
              </li>
            );
          })}
        </ul>
      )}
      {message && <p class={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
      <LinkAccountForm onLinked={() => void load()} providers={providers} />
    </section>
  );
}
