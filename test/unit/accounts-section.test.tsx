// @vitest-environment happy-dom
/**
 * The options page's linked accounts and the welcome page's list: each account is named as
 * everywhere else (who is signed in, then the site), and unlinking one leaves focus on the list.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountView } from '../../src/lib/messages';

const can = { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true };
const view = (id: string, host: string, who: string | null): AccountView => ({
  account: { id, connectorId: 'discourse', origin: `https://${host}`, instanceUrl: `https://${host}`, settings: {}, label: 'Discourse forum', linkedAt: 0 },
  connector: { id: 'discourse', name: 'Discourse forum', manageUrl: `https://${host}/my/preferences`, can },
  ...(who ? { result: { state: 'ok', fetchedAt: 1, whoami: { account: who }, sessions: [] } } : {}),
} as AccountView);

let linked: AccountView[] = [];
const sent: { type: string; body: unknown }[] = [];
vi.mock('../../src/lib/browser', () => ({ default: { runtime: { sendMessage: vi.fn(), onMessage: { addListener: vi.fn() } } } }));
vi.mock('../../src/ui/client', async (original) => ({
  ...(await original<typeof import('../../src/ui/client')>()),
  call: vi.fn(async (type: string, body: { accountId: string }) => {
    sent.push({ type, body });
    if (type === 'sessions/overview') return linked;
    if (type === 'accounts/connectors') return [];
    if (type === 'accounts/unlink') {
      linked = linked.filter((v) => v.account.id !== body.accountId);
      return null;
    }
    throw new Error(`unexpected call ${type}`);
  }),
}));
const { AccountsSection } = await import('../../src/options/AccountsSection');
const { App: Welcome } = await import('../../src/welcome/App');

const confirmed: string[] = [];
beforeEach(() => {
  sent.length = 0;
  confirmed.length = 0;
  linked = [view('a', 'one.example', 'ann'), view('b', 'two.example', null), view('c', 'three.example', 'cy')];
  vi.stubGlobal('confirm', (text: string) => (confirmed.push(text), true));
});
afterEach(() => {
  render(null, document.body);
  vi.unstubAllGlobals();
});

async function mount(node: preact.ComponentChild) {
  await act(async () => {
    render(node, document.body);
  });
  await vi.waitFor(() => expect(document.querySelectorAll('li[data-account-id]').length).toBe(linked.length));
}
const unlinkButton = (id: string) => document.querySelector<HTMLButtonElement>(`li[data-account-id="${id}"] button.danger`)!;
async function unlink(id: string) {
  unlinkButton(id).focus();
  await act(async () => {
    unlinkButton(id).click();
  });
  await vi.waitFor(() => expect(document.querySelector(`li[data-account-id="${id}"]`)).toBeNull());
}

describe('AccountsSection, unlinking', () => {
  it('asks and tells with the account’s one name', async () => {
    await mount(<AccountsSection />);
    await unlink('a');
    expect(confirmed).toEqual(['Unlink ann on one.example? Revoke will also give up its permission for that site.']);
    expect(document.querySelector('[role=status]')!.textContent).toBe('Unlinked ann on one.example.');
  });

  it('moves focus to the account that takes the unlinked one’s place, then the one before, then the heading', async () => {
    await mount(<AccountsSection />);
    await unlink('a');
    expect(document.activeElement).toBe(unlinkButton('b'));
    await unlink('c');
    expect(document.activeElement).toBe(unlinkButton('b'));
    await unlink('b');
    expect(document.activeElement).not.toBe(document.body);
    expect(document.activeElement).toBe(document.getElementById('accounts-h'));
  });
});

describe('the welcome page’s linked accounts', () => {
  it('names each account as the popup does: who is signed in, then the site; the label where no check told', async () => {
    await mount(<Welcome />);
    const names = [...document.querySelectorAll('li[data-account-id] strong')].map((s) => s.textContent);
    expect(names).toEqual(['ann on one.example', 'Discourse forum on two.example', 'cy on three.example']);
  });
});
