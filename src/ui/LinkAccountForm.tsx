/**
 * The form that links an account: pick a service, give its address where needed, grant the host
 * permission for exactly that origin (inside the click), and save only what its first check accepts.
 * Used by the options page's Accounts section and by the welcome page.
 */
import { useEffect, useState } from 'preact/hooks';
import browser from '../lib/browser';
import { AppError, type ConnectorInfo } from '../lib/messages';
import { checkLogoutUrl } from '../connectors/generic';
import { hostPermissionPatterns } from '../lib/host-permissions';
import { normaliseInstanceUrl } from '../sessions/accounts';
import { discoverHomeserver } from '../connectors/matrix-discovery';
import { describeResult, type Said } from './account-result';
import { call, errorText } from './client';
import { say, t } from '../i18n/t';
import { connectorName, instanceUrlText, signInText } from '../i18n/connector-text';
import { PasswordField } from './PasswordField';
import { visibleText } from '../lib/untrusted-text';
import { SIGN_IN_TEXT } from './sign-in-text';
import { isProvider, SIGNS_IN_THROUGH } from '../sessions/sign-in-through';

export function LinkAccountForm({ onLinked, headingLevel = 3, providers = [] }: {
  /** Called after an account was saved, so the page can list it. */
  onLinked: () => void;
  headingLevel?: 2 | 3;
  /** Linked identity providers an app may sign in through (its account id, its name as shown). */
  providers?: readonly { id: string; name: string }[];
}) {
  const [connectors, setConnectors] = useState<ConnectorInfo[]>([]);
  const [connectorId, setConnectorId] = useState('');
  const [url, setUrl] = useState('');
  const [logoutUrl, setLogoutUrl] = useState('');
  /** The linked provider this app signs in through ('' for none). */
  const [through, setThrough] = useState('');
  // Services Revoke signs in to (Matrix): who, and the password used once for that sign-in.
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [found, setFound] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Said | null>(null);
  /** The last link failed a check that may pass later: offer "Link anyway". */
  const [unverified, setUnverified] = useState(false);
  /** The services could not be read: no edit of the form changes that. */
  const [loadError, setLoadError] = useState('');

  useEffect(() => {
    call('accounts/connectors', null).then((c) => {
      setConnectors(c);
      setConnectorId((id) => id || c[0]?.id || '');
    }, (e) => setLoadError(errorText(e)));
  }, []);

  const connector = connectors.find((c) => c.id === connectorId);
  const asked = connector && instanceUrlText(connector);
  const signIn = connector && signInText(connector);
  const asksThrough = connector !== undefined && providers.length > 0 && !isProvider({ connectorId: connector.id });

  /**
   * Matrix: the homeserver from the Matrix ID (its well-known file, read with the page's own fetch
   * before any permission exists), so that the one click below asks for the right host.
   */
  async function findHomeserver() {
    if (!connector?.signIn || url.trim() || !user.trim().startsWith('@')) return;
    setFound(SIGN_IN_TEXT.finding);
    const discovery = await discoverHomeserver(user, (u, init) => fetch(u, init));
    if (discovery.ok) {
      setUrl((typed) => typed || discovery.homeserver);
      setFound(SIGN_IN_TEXT.found(discovery.homeserver));
    } else {
      setFound(discovery.reason);
    }
  }

  /**
   * The person changed what a link attempt was refused for: its error, and "Link anyway" for the
   * old input, go (a success message stays until the next attempt).
   */
  function edited() {
    setMessage((m) => (m?.kind === 'error' ? null : m));
    setUnverified(false);
  }

  async function link(ev: Event, force = false) {
    ev.preventDefault();
    if (!connector) return;
    setMessage(null);
    setUnverified(false);
    // Checked here with the same rules the background applies, so the prompt never asks for a bad address.
    let origin: string;
    const settings: Record<string, string> = {};
    try {
      origin = normaliseInstanceUrl(connector.instanceUrl ? url : connector.origins[0] ?? '').origin;
      if (connector.id === 'generic' && logoutUrl.trim()) {
        const checked = checkLogoutUrl(origin, logoutUrl);
        if (!checked.ok) throw new Error(say(checked.error));
        settings.logoutUrl = checked.url;
      }
    } catch (e) {
      return setMessage({ kind: 'error', text: errorText(e) });
    }
    // The permission prompt must open inside this click: nothing may be awaited before it.
    const granted = await browser.permissions.request({ origins: hostPermissionPatterns(origin) });
    if (!granted) {
      return setMessage({ kind: 'error', text: t('link_permissionRefused', new URL(origin).host) });
    }
    setBusy(true);
    try {
      if (connector.signIn) settings.user = user.trim();
      if (asksThrough && through) settings[SIGNS_IN_THROUGH] = through;
      const { result } = await call('accounts/link', {
        connectorId: connector.id, url: connector.instanceUrl ? url : origin, settings,
        ...(force ? { force } : {}), ...(connector.signIn ? { password } : {}),
      });
      setMessage(describeResult(result));
      setUrl('');
      setLogoutUrl('');
      setThrough('');
      setUser('');
      setFound(null);
      onLinked();
    } catch (e) {
      // A site that is down now may be linked anyway; a wrong address or a duplicate may not.
      setUnverified(e instanceof AppError && e.code === 'unverified');
      setMessage({ kind: 'error', text: errorText(e) });
    } finally {
      setPassword(''); // used once, whatever the answer
      setBusy(false);
    }
  }

  const Heading = `h${headingLevel}` as 'h2' | 'h3';
  return (
    <form class="card stack" onSubmit={link} aria-labelledby="link-h">
      <Heading id="link-h">{t('link_heading')}</Heading>
      <label>
        {t('link_service')}
        <select name="connector" value={connectorId} onChange={(e) => { setConnectorId(e.currentTarget.value); edited(); }}>
          {connectors.map((c) => <option value={c.id}>{connectorName(c)}</option>)}
        </select>
      </label>
      {connector?.signIn && (
        <label>
          {signIn!.userLabel}
          <input name="user" value={user} placeholder={signIn!.userPlaceholder} spellcheck={false} autocomplete="username" required
            onInput={(e) => { setUser(e.currentTarget.value); edited(); }} onBlur={() => void findHomeserver()} />
          {found && <span class="muted small" role="status">{found}</span>}
        </label>
      )}
      {asked && (
        <label>
          {asked.label}
          <input name="url" value={url} placeholder={asked.placeholder} spellcheck={false}
            onInput={(e) => { setUrl(e.currentTarget.value); edited(); }} />
          <span class="muted small">{asked.help}</span>
        </label>
      )}
      {connector?.id === 'generic' && (
        <label>
          {t('link_logoutUrl')}
          <input name="logoutUrl" value={logoutUrl} placeholder="https://example.com/logout" spellcheck={false}
            onInput={(e) => { setLogoutUrl(e.currentTarget.value); edited(); }} />
          <span class="muted small">{t('link_logoutUrlHint')}</span>
        </label>
      )}
      {asksThrough && (
        <label>
          {t('oidc_signsInThrough')}
          <select name="signsInThrough" value={through} onChange={(e) => { setThrough(e.currentTarget.value); edited(); }}>
            <option value="">{t('oidc_signsInThroughNone')}</option>
            {providers.map((p) => <option value={p.id}>{visibleText(p.name)}</option>)}
          </select>
          <span class="muted small">{t('oidc_signsInThroughHint')}</span>
        </label>
      )}
      {connector?.signIn && <PasswordField value={password} onInput={(p) => { setPassword(p); edited(); }} help={signIn!.help} />}
      <p class="muted small">{t('link_permissionHint')}</p>
      {loadError && <p class="error" role="alert">{loadError}</p>}
      {message && <p class={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
      <div class="row">
        <button class="primary" type="submit" disabled={busy || !connector}>{t(busy ? 'link_checking' : 'link_action')}</button>
        {unverified && !busy && <button type="button" onClick={(e) => link(e, true)}>{t('link_anyway')}</button>}
      </div>
    </form>
  );
}
