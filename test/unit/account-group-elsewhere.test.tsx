// @vitest-environment happy-dom
/**
 * Google and Microsoft let no app list or end the other devices: the popup says so plainly, links
 * the provider's own pages (from the registered connector's meta), offers only signing this browser
 * out, and for work accounts names the admin route without offering it.
 */
import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { googleConnector } from '../../src/connectors/google';
import { microsoftConnector, microsoftWorkConnector } from '../../src/connectors/microsoft';
import type { Connector } from '../../src/connectors/types';
import type { AccountView } from '../../src/lib/messages';

vi.mock('../../src/lib/browser', () => ({ default: { runtime: { sendMessage: vi.fn(), onMessage: { addListener: vi.fn() } } } }));
const { AccountGroup } = await import('../../src/popup/AccountGroup');

function viewOf(c: Connector, who: string): AccountView {
  const account = { id: `acc-${c.meta.id}`, connectorId: c.meta.id, origin: c.meta.origins[0]!, settings: {}, label: c.meta.name, linkedAt: 0 };
  return {
    account,
    // As the background builds it (session-handlers.ts connectorView).
    connector: { id: c.meta.id, name: c.meta.name, can: c.meta.can, manageUrl: c.meta.manageUrl(account), ...(c.meta.elsewhere ? { elsewhere: c.meta.elsewhere } : {}) },
    result: { state: 'ok', fetchedAt: Date.now(), whoami: { account: who }, sessions: null },
  } as AccountView;
}

const noop = () => undefined;
const show = (view: AccountView) =>
  render(<AccountGroup view={view} now={Date.now()} outcomes={[]} pending={null} fresh={new Set()} onAsk={noop} onConfirm={noop} onCancel={noop} onSignIn={async () => undefined} onKnown={noop} />, document.body);
const links = () => [...document.querySelectorAll('.elsewhere a')].map((a) => [a.textContent, a.getAttribute('href')]);
const buttons = () => [...document.querySelectorAll('button')].map((b) => b.textContent);

afterEach(() => render(null, document.body));

describe('AccountGroup at an identity provider', () => {
  it('Google: says no app can list or end the other devices, links device activity, offers only this browser\'s sign-out', () => {
    show(viewOf(googleConnector, 'alice@gmail.com'));
    expect(document.querySelector('.elsewhere')!.textContent).toContain('Google lets no app list or end the other devices this account is signed in on, Revoke included.');
    expect(links()).toEqual([['Devices ↗', 'https://myaccount.google.com/device-activity']]);
    expect(buttons()).toEqual(['Sign out of site']);
    expect(document.body.textContent).not.toContain('Entra');
  });

  it('Microsoft personal: its activity and devices pages, no admin route', () => {
    show(viewOf(microsoftConnector, 'login.live.com'));
    expect(links()).toEqual([['Sign-in activity ↗', 'https://account.live.com/Activity'], ['Devices ↗', 'https://account.microsoft.com/devices']]);
    expect(document.body.textContent).not.toContain('revokeSignInSessions');
  });

  it('Microsoft work or school: its sign-in pages, and the admin route said, not offered', () => {
    show(viewOf(microsoftWorkConnector, 'login.microsoftonline.com'));
    expect(links()).toEqual([['Sign-in activity ↗', 'https://mysignins.microsoft.com/my-sign-ins'], ['Security info ↗', 'https://mysignins.microsoft.com/security-info']]);
    expect(document.querySelector('.elsewhere')!.textContent).toContain('Microsoft lets no app list or end the other devices this account is signed in on');
    expect(document.querySelector('.elsewhere')!.textContent).toContain('revokeSignInSessions. Revoke does not do that.');
    expect(buttons()).toEqual(['Sign out of site']);
  });

  it('says nothing of the kind for a service that lists its sessions', () => {
    const view = viewOf(googleConnector, 'alice@gmail.com');
    delete view.connector.elsewhere;
    show(view);
    expect(document.querySelector('.elsewhere')).toBeNull();
  });
});
