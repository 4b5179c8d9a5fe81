/**
 * The page a first install opens: what Revoke does, sessions first; linking a first account right
 * here; and, apart from it, the way to the authenticator's setup.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AccountView } from '../lib/messages';
import { describeResult } from '../ui/account-result';
import { call } from '../ui/client';
import { LinkAccountForm } from '../ui/LinkAccountForm';

export function App() {
  const [views, setViews] = useState<AccountView[]>([]);
  const load = () => call('sessions/overview', null).then(setViews, () => {
    // The form still works; the list shows again after the next link.
  });
  useEffect(() => void load(), []);

  return (
    <main class="welcome-page stack">
      <header class="row">
        <img src="/icons/icon-48.png" alt="" width="40" height="40" />
        <h1>Welcome to Revoke</h1>
      </header>
      <section class="stack" aria-labelledby="what-h">
        <h2 id="what-h" class="sr-only">What Revoke does</h2>
        <p class="lead">Revoke shows where your accounts are signed in, and ends the sessions you don’t want.</p>
        <ul class="points">
          <li>Link an account, then see every device and browser signed in to it from Revoke’s toolbar button.</li>
          <li>End one session, all the others, or sign out of the site.</li>
          <li>Sign out everywhere at once, for a lost phone or a shared computer.</li>
        </ul>
        <p class="muted">It also keeps your two-step sign-in codes, encrypted on this device. Nothing is sent to Revoke’s authors.</p>
      </section>

      <section class="stack" aria-labelledby="link-h">
        {views.length > 0 && (
          <ul class="entries" aria-label="Linked accounts">
            {views.map((v) => {
              const d = describeResult(v.result);
              return (
                <li class="card" key={v.account.id} data-account-id={v.account.id}>
                  <div><strong>{v.connector.name}</strong> <span class="muted">· {new URL(v.account.origin).host}</span></div>
                  <div class={`${d.kind} small`}>{d.text}</div>
                </li>
              );
            })}
          </ul>
        )}
        <LinkAccountForm headingLevel={2} onLinked={() => void load()} />
        {views.length > 0 && (
          <p class="muted small">Open Revoke from its toolbar button to see and end these sessions. In Chrome, pin it from the puzzle-piece menu to keep it in sight.</p>
        )}
      </section>

      <section class="card stack" aria-labelledby="auth-h">
        <h2 id="auth-h">Authenticator</h2>
        <p>Keep the codes that sites ask for at sign-in, locked with a password of your own. You can do this later from the popup’s Codes tab.</p>
        <div><a class="button" href="/options.html#authenticator">Set up the authenticator</a></div>
      </section>
    </main>
  );
}
