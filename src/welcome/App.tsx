/**
 * The page a first install opens: what Revoke does, sessions first; linking a first account right
 * here; and, apart from it, the way to the authenticator's setup.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AccountView } from '../lib/messages';
import { describeChecked } from '../ui/account-result';
import { call } from '../ui/client';
import { LinkAccountForm } from '../ui/LinkAccountForm';
import { t } from '../i18n/t';
import { AccountTitle } from '../ui/session-bits';

/** Coming back to the page this soon after a check does not check again. */
const RECHECK_AFTER_MS = 5_000;

export function App() {
  const [views, setViews] = useState<AccountView[]>([]);
  const checkedAt = useRef(0);
  const load = () => call('sessions/overview', null).then(setViews, () => {
    // The form still works; the list shows again after the next link.
  });
  /** Asks the sites again (all linked accounts, or one), then shows what they said. */
  const recheck = async (accountIds?: string[]) => {
    checkedAt.current = Date.now();
    await call('sessions/refresh', accountIds ? { accountIds } : {}).catch(() => undefined);
    await load();
  };
  useEffect(() => void load(), []);
  // A person told to sign in "in a tab, then re-check" comes back here: the cards say what is true now.
  useEffect(() => {
    const back = () => {
      if (document.visibilityState === 'visible' && Date.now() - checkedAt.current > RECHECK_AFTER_MS) void recheck();
    };
    document.addEventListener('visibilitychange', back);
    window.addEventListener('focus', back);
    return () => {
      document.removeEventListener('visibilitychange', back);
      window.removeEventListener('focus', back);
    };
  }, []);

  return (
    <main class="welcome-page stack">
      <header class="row">
        <img src="/icons/icon-48.png" alt="" width="40" height="40" />
        <h1>{t('page_welcome')}</h1>
      </header>
      <section class="stack" aria-labelledby="what-h">
        <h2 id="what-h" class="sr-only">{t('welcome_what')}</h2>
        <p class="lead">{t('welcome_lead')}</p>
        <ul class="points">
          <li>{t('welcome_point1')}</li>
          <li>{t('welcome_point2')}</li>
          <li>{t('welcome_point3')}</li>
        </ul>
        <p class="muted">{t('welcome_codes')}</p>
      </section>

      <section class="stack" aria-labelledby="link-h">
        {views.length > 0 && (
          <ul class="entries" aria-label={t('welcome_linked_label')}>
            {views.map((v) => {
              const d = describeChecked(v.result, v.fetchedAt, Date.now());
              return (
                <li class="card row" key={v.account.id} data-account-id={v.account.id}>
                  <div class="grow">
                    <div><AccountTitle view={v} /></div>
                    <div class={`${d.kind} small`}>{d.text}</div>
                  </div>
                  <button onClick={() => void recheck([v.account.id])} aria-label={t('accounts_recheck_label', v.account.origin)}>{t('accounts_recheck')}</button>
                </li>
              );
            })}
          </ul>
        )}
        <LinkAccountForm headingLevel={2} onLinked={() => void load()} />
        {views.length > 0 && (
          <p class="muted small">{t('welcome_openHint')}</p>
        )}
      </section>

      <section class="card stack" aria-labelledby="auth-h">
        <h2 id="auth-h">{t('authenticator')}</h2>
        <p>{t('welcome_authIntro')}</p>
        <div><a class="button" href="/options.html#authenticator">{t('welcome_setUpAuth')}</a></div>
      </section>
    </main>
  );
}
