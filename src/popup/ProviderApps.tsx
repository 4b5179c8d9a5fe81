/**
 * After a sign-out at an identity provider: the linked apps the person marked as signing in through
 * it keep their own sessions, so the popup names them and offers to sign this browser out of them
 * too, in one step (each through the engine's own sign-out; each result shows in its app's group).
 */
import type { AccountView } from '../lib/messages';
import { accountName } from '../sessions/account-name';
import { appsToOffer, type AppToSignOut } from '../sessions/sign-in-through';
import type { RevokeOutcome } from '../sessions/types';
import { onHost } from '../ui/session-bits';
import { Untrusted } from '../ui/Untrusted';
import { t, tp } from '../i18n/t';

export function ProviderApps({ provider, views, outcome, onSignOut }: {
  provider: AccountView;
  views: readonly AccountView[];
  /** The provider's last finished sign-out. */
  outcome: RevokeOutcome;
  onSignOut: (apps: AppToSignOut<AccountView['account']>[]) => void;
}) {
  const apps = appsToOffer(views, provider.account.id, outcome.status);
  if (apps.length === 0) return null;
  const name = (a: AccountView['account']) => accountName(a, undefined, onHost);
  return (
    <div class="stack pad provider-apps" role="group" aria-label={t('oidc_appsLabel')}>
      <p class="small">{tp('oidc_appsOffer', apps.length)}</p>
      <ul class="small">{apps.map((a) => <li key={a.account.id}><Untrusted text={name(a.account)} /></li>)}</ul>
      <div><button class="danger" onClick={() => onSignOut(apps)}>{t('oidc_appsSignOut')}</button></div>
    </div>
  );
}
