/**
 * "Link <service> at <host>" for the site in the tab behind the popup, in one click: the
 * permission prompt opens inside the click, then the same linking path as the options page
 * (src/background/session-handlers.ts: saved only when the first check answers, duplicates
 * refused, the permission given back on failure), then the account's sessions show below.
 */
import { useRef, useState } from 'preact/hooks';
import browser from '../lib/browser';
import { hostPermissionPatterns } from '../lib/host-permissions';
import { AppError } from '../lib/messages';
import { call, errorText } from '../ui/client';
import { useDetectedSite } from './useDetectedSite';
import { t } from '../i18n/t';
import { connectorName } from '../i18n/connector-text';

/** Every string this offer shows, in one place. */
const TEXT = {
  offer: (service: string, place: string) => t('linkSite_offer', service, place),
  get hint() { return t('link_permissionHint'); },
  get checking() { return t('link_checking'); },
  denied: (host: string) => t('link_permissionRefused', host),
  get anyway() { return t('link_anyway'); },
};

export function LinkThisSite({ onLinked, class: className }: {
  /** Called once the account is saved, so the list can show it (and move focus to it: this offer goes). */
  onLinked: (accountId: string) => void;
  /** Its box, as the place it is shown in needs it. */
  class: string;
}) {
  const site = useDetectedSite();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; unverified: boolean } | null>(null);
  const [linked, setLinked] = useState(false);
  const attempts = useRef(0);
  if (!site || linked) return null;
  const url = new URL(site.instanceUrl);
  const place = url.host + (url.pathname === '/' ? '' : url.pathname);

  function link(force: boolean) {
    if (!site) return;
    const attempt = ++attempts.current;
    // The permission prompt must open inside this click: nothing may be awaited before it. The
    // link request goes out with it and waits in the background for the grant, because in Firefox
    // the prompt can close the popup and this script with it; the link then still happens.
    const asked = browser.permissions.request({ origins: hostPermissionPatterns(site.origin) });
    const linking = call('accounts/link', { connectorId: site.connectorId, url: site.instanceUrl, settings: {}, awaitGrant: true, ...(force ? { force } : {}) });
    setError(null);
    setBusy(true);
    void (async () => {
      try {
        if (!(await asked.catch(() => false))) {
          // The background gives up on its own; a later click supersedes its wait.
          linking.catch(() => undefined);
          return setError({ text: TEXT.denied(url.host), unverified: false });
        }
        const { account } = await linking;
        if (attempt !== attempts.current) return;
        setLinked(true);
        onLinked(account.id);
      } catch (e) {
        if (attempt !== attempts.current) return;
        // A site that is down now may be linked anyway; a wrong address or a duplicate may not.
        setError({ text: errorText(e), unverified: e instanceof AppError && e.code === 'unverified' });
      } finally {
        if (attempt === attempts.current) setBusy(false);
      }
    })();
  }

  return (
    <div class={className}>
      <div><button class="primary" disabled={busy} onClick={() => link(false)}>{busy ? TEXT.checking : TEXT.offer(connectorName({ id: site.connectorId, name: site.service }), place)}</button></div>
      <p class="muted small">{TEXT.hint}</p>
      {error && <p class="error" role="alert">{error.text}</p>}
      {error?.unverified && !busy && <div><button onClick={() => link(true)}>{TEXT.anyway}</button></div>}
    </div>
  );
}
