/** First run: what an install opens, which tab the popup starts on, which section options opens on. */
import { describe, expect, it } from 'vitest';
import { pagesOnInstalled } from '../../src/background/first-run';
import { chooseStartTab, startTab, TAB_KEY } from '../../src/popup/start-tab';
import { rememberVaultState, VAULT_HINT_KEY, vaultKnownToExist } from '../../src/ui/vault-hint';
import { sectionFromHash } from '../../src/options/sections';

function memoryStore(init: Record<string, string> = {}) {
  const m = new Map(Object.entries(init));
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

describe('pagesOnInstalled', () => {
  it('opens the welcome page on a first install only', () => {
    expect(pagesOnInstalled('install', { e2eFirefox: false })).toEqual(['welcome.html']);
    for (const reason of ['update', 'browser_update', 'chrome_update', 'shared_module_update']) {
      expect(pagesOnInstalled(reason, { e2eFirefox: false })).toEqual([]);
    }
  });
  it('keeps the Firefox test build opening its popup page in a tab, and nothing else', () => {
    expect(pagesOnInstalled('install', { e2eFirefox: true })).toEqual(['popup.html']);
  });
});

describe('the popup start tab', () => {
  it('is Sessions while no authenticator exists, whatever tab was used last', () => {
    expect(chooseStartTab(null, false)).toBe('sessions');
    expect(chooseStartTab('codes', false)).toBe('sessions');
  });
  it('is the tab used last once a vault exists, Codes at first', () => {
    expect(chooseStartTab(null, true)).toBe('codes');
    expect(chooseStartTab('codes', true)).toBe('codes');
    expect(chooseStartTab('sessions', true)).toBe('sessions');
    expect(chooseStartTab('nonsense', true)).toBe('codes');
  });
  it('follows the vault hint that snapshots leave in localStorage', () => {
    const store = memoryStore({ [TAB_KEY]: 'codes' });
    expect(startTab(store)).toBe('sessions');
    expect(rememberVaultState('locked', store)).toBe(true); // the hint changed
    expect(store.getItem(VAULT_HINT_KEY)).toBe('1');
    expect(startTab(store)).toBe('codes');
    expect(rememberVaultState('unlocked', store)).toBe(false); // still exists: nothing new
    expect(rememberVaultState('uninitialized', store)).toBe(true);
    expect(vaultKnownToExist(store)).toBe(false);
    expect(startTab(store)).toBe('sessions');
  });
});

describe('the options section from the address', () => {
  it('opens the section named in the hash, and Accounts (listed first) without one', () => {
    expect(sectionFromHash('')).toBe('accounts');
    expect(sectionFromHash('#')).toBe('accounts');
    expect(sectionFromHash('#nonsense')).toBe('accounts');
    expect(sectionFromHash('#authenticator')).toBe('authenticator');
    expect(sectionFromHash('#audit')).toBe('audit');
  });
});
