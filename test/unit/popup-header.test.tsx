// @vitest-environment happy-dom
/** The popup: Sessions first until an authenticator exists, and one header on every tab, locked or not. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type Snapshot } from '../../src/lib/messages';

const created: string[] = [];
let snapshot: Snapshot = { state: 'uninitialized', settings: DEFAULT_SETTINGS };

vi.mock('../../src/lib/browser', () => ({
  default: {
    tabs: { create: vi.fn(async ({ url }: { url: string }) => void created.push(url)), query: vi.fn(async () => []) },
    runtime: { getURL: (p: string) => `ext://id/${p}`, sendMessage: vi.fn(), onMessage: { addListener: vi.fn(), removeListener: vi.fn() } },
  },
}));
vi.mock('../../src/ui/client', async (original) => ({
  ...(await original<typeof import('../../src/ui/client')>()),
  call: vi.fn(async (type: string) => (type === 'vault/snapshot' ? snapshot : [])),
}));

const { call } = await import('../../src/ui/client');
const selectedTab = () => document.querySelector('[role=tab][aria-selected=true]')?.textContent;
const button = (name: string) => document.querySelector<HTMLButtonElement>(`button[aria-label="${name}"]`);

async function openPopup() {
  const { App } = await import('../../src/popup/App');
  await act(async () => {
    render(<App />, document.body);
  });
  await act(async () => { await new Promise((r) => setTimeout(r, 0)); });
}

beforeEach(() => {
  localStorage.clear();
  vi.mocked(call).mockClear();
  created.length = 0;
});
afterEach(() => {
  render(null, document.body);
});

describe('popup App', () => {
  it('opens on Sessions while no authenticator exists, even if Codes was used last', async () => {
    localStorage.setItem('revoke:popup-tab', 'codes');
    snapshot = { state: 'uninitialized', settings: DEFAULT_SETTINGS };
    await openPopup();
    expect(selectedTab()).toBe('Sessions');
  });

  it('has settings and the audit log on every tab, also while the vault is locked', async () => {
    localStorage.setItem('revoke:vault-exists', '1');
    localStorage.setItem('revoke:popup-tab', 'sessions');
    snapshot = { state: 'locked', settings: DEFAULT_SETTINGS };
    await openPopup();
    expect(selectedTab()).toBe('Sessions');
    await act(async () => button('Settings')!.click());
    await act(async () => button('Audit log')!.click());

    // Opened on Sessions with a vault known to exist, the popup had no need of the vault yet.
    expect(vi.mocked(call)).not.toHaveBeenCalledWith('vault/snapshot', null);
    await act(async () => document.querySelector<HTMLButtonElement>('[role=tab]:not([aria-selected=true])')!.click());
    expect(selectedTab()).toBe('Codes');
    await act(async () => { await new Promise((r) => setTimeout(r, 0)); }); // the vault is read now
    // The lock screen is showing, and the header is still whole.
    expect(document.body.textContent).toMatch(/Unlock/);
    await act(async () => button('Settings')!.click());
    await act(async () => button('Audit log')!.click());
    expect(created).toEqual([
      'ext://id/options.html#accounts', 'ext://id/options.html#audit',
      'ext://id/options.html#authenticator', 'ext://id/options.html#audit',
    ]);
  });

  it('turns to Codes when the snapshot shows a vault the hint did not know of', async () => {
    snapshot = { state: 'locked', settings: DEFAULT_SETTINGS };
    await openPopup();
    expect(selectedTab()).toBe('Codes');
    expect(localStorage.getItem('revoke:vault-exists')).toBe('1');
  });
});
