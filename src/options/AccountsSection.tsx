/**
 * Link an account: pick a service, give its URL where needed, grant the host
 * permission for exactly that origin (in the click), check who is signed in.
 * Unlinking drops the permission again.
 */
import { useEffect, useState } from 'preact/hooks';
import browser from '../lib/browser';
import { AppError, type AccountView, type ConnectorInfo } from '../lib/messages';
import { checkLogoutUrl } from '../connectors/generic';
import { hostPermissionPatterns } from '../lib/host-permissions';
import { normaliseInstanceUrl } from '../sessions/accounts';
import type { AccountResult } from '../sessions/types';
import { call, errorText } from '../ui/client';
import { describeFailure } from '../ui/session-bits';
import { visibleText } from '../ui/untrusted-text';
import { Untrusted } from '../ui/Untrusted';
import { accountName } from '../sessions/account-name';
import { timeAgo } from '../ui/time';

export function describeResult(r: AccountResult | undefined): { kind: 'okay' | 'notice' | 'error'; text: string } {
  if (!r) return { kind: 'notice', text: 'Not checked yet.' };
  if (r.state === 'ok') return { kind: 'okay', text: `Signed in as ${visibleText(r.whoami.account)}${r.sessions ? ` · ${r.sessions.length} session(s)` : ''}.` };
  if (r.state === 'signed-out') return { kind: 'notice', text: 'Not signed in on this browser. Sign in to the site in a tab, then re-check.' };
  return { kind: 'error', text: describeFailure(r.kind, r.message) };
}

export function AccountsSection() {
  const [connectors, setConnectors] = useState<ConnectorInfo[]>([]);
  const [views, setViews] = useState<AccountView[]>([]);
  const [connectorId, setConnectorId] = useState('');
  const [url, setUrl] = useState('');
  const [logoutUrl, setLogoutUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'okay' | 'notice' | 'error'; text: string } | null>(null);
  const [formMessage, setFormMessage] = useState<{ kind: 'okay' | 'notice' | 'error'; text: string } | null>(null);
  /** The last link failed a check that may pass later: offer "Link anyway". */
  const [unverified, setUnverified] = useState(false);

  const load = async () => setViews(await call('sessions/overview', null));
  useEffect(() => {
    call('accounts/connectors', null).then((c) => {
      setConnectors(c);
      setConnectorId((id) => id || c[0]?.id || '');
    }, (e) => setMessage({ kind: 'error', text: errorText(e) }));
    void load();
  }, []);

  const connector = connectors.find((c) => c.id === connectorId);

  async function link(ev: Event, force = false) {
    ev.preventDefault();
    if (!connector) return;
    setFormMessage(null);
    setUnverified(false);
    // Checked here with the same rules the background applies, so the prompt never asks for a bad address.
    let origin: string;
    const settings: Record<string, string> = {};
    try {
      origin = normaliseInstanceUrl(connector.instanceUrl ? url : connector.origins[0] ?? '').origin;
      if (connector.id === 'generic' && logoutUrl.trim()) {
        const checked = checkLogoutUrl(origin, logoutUrl);
        if (!checked.ok) throw new Error(checked.error);
        settings.logoutUrl = checked.url;
      }
    } catch (e) {
      return setFormMessage({ kind: 'error', text: errorText(e) });
    }
    // The permission prompt must open inside this click: nothing may be awaited before it.
    const granted = await browser.permissions.request({ origins: hostPermissionPatterns(origin) });
    if (!granted) {
      return setFormMessage({ kind: 'error', text: `Permission for ${new URL(origin).host} was not granted, so Revoke cannot see your sessions there. Nothing was linked.` });
    }
    setBusy(true);
    try {
      const { result } = await call('accounts/link', { connectorId: connector.id, url: connector.instanceUrl ? url : origin, settings, ...(force ? { force } : {}) });
      setFormMessage(describeResult(result));
      setUrl('');
      setLogoutUrl('');
      await load();
    } catch (e) {
      // A site that is down now may be linked anyway; a wrong address or a duplicate may not.
      setUnverified(e instanceof AppError && e.code === 'unverified');
      setFormMessage({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }

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
    if (!confirm(`Unlink ${v.connector.name} (${new URL(v.account.origin).host})? Revoke will also give up its permission for that site.`)) return;
    try {
      await call('accounts/unlink', { accountId: v.account.id });
      setMessage({ kind: 'okay', text: `Unlinked ${new URL(v.account.origin).host}.` });
      await load();
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  }

  return (
    <section class="stack" aria-labelledby="accounts-h">
      <h2 id="accounts-h">Linked accounts</h2>
      {views.length === 0 ? <p class="muted">No accounts linked yet.</p> : (
        <ul class="entries" aria-label="Linked accounts">
          {views.map((v) => {
            const d = describeResult(v.result);
            return (
              <li class="card row" key={v.account.id} data-account-id={v.account.id}>
                <div class="grow">
                  <div><strong><Untrusted text={accountName(v.account, v.result?.state === 'ok' ? v.result.whoami.account : undefined)} /></strong> <span class="muted">· {v.connector.name}</span></div>
                  <div class={`${d.kind} small`}>{d.text}{v.fetchedAt ? ` (checked ${timeAgo(v.fetchedAt, Date.now())})` : ''}</div>
                </div>
                <button onClick={() => recheck(v.account.id)} aria-label={`Re-check ${v.account.origin}`}>Re-check</button>
                <button class="danger" onClick={() => unlink(v)} aria-label={`Unlink ${v.account.origin}`}>Unlink</button>
              </li>
            );
          })}
        </ul>
      )}
      {message && <p class={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
      <form class="card stack" onSubmit={link} aria-labelledby="link-h">
        <h3 id="link-h">Link an account</h3>
        <label>
          Service
          <select name="connector" value={connectorId} onChange={(e) => setConnectorId(e.currentTarget.value)}>
            {connectors.map((c) => <option value={c.id}>{c.name}</option>)}
          </select>
        </label>
        {connector?.instanceUrl && (
          <label>
            {connector.instanceUrl.label}
            <input name="url" value={url} placeholder={connector.instanceUrl.placeholder} spellcheck={false}
              onInput={(e) => setUrl(e.currentTarget.value)} />
            <span class="muted small">{connector.instanceUrl.help}</span>
          </label>
        )}
        {connector?.id === 'generic' && (
          <label>
            Logout address (optional)
            <input name="logoutUrl" value={logoutUrl} placeholder="https://example.com/logout" spellcheck={false}
              onInput={(e) => setLogoutUrl(e.currentTarget.value)} />
            <span class="muted small">Called before this browser’s cookies are removed, so the site ends the session too.</span>
          </label>
        )}
        <p class="muted small">Revoke will ask for permission to access just this site.</p>
        {formMessage && <p class={formMessage.kind} role={formMessage.kind === 'error' ? 'alert' : 'status'}>{formMessage.text}</p>}
        <div class="row">
          <button class="primary" type="submit" disabled={busy || !connector}>{busy ? 'Checking…' : 'Link account'}</button>
          {unverified && !busy && <button type="button" onClick={(e) => link(e, true)}>Link anyway</button>}
        </div>
      </form>
    </section>
  );
}
