// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type Snapshot } from '../../src/lib/messages';
import type { OtpEntry } from '../../src/vault/types';
import { withDomRoot } from './dom-root';

// A small in-memory background behind the client: the section's calls change `stored`.
let stored: OtpEntry[] = [];
const sent: { type: string; body: unknown }[] = [];
vi.mock('../../src/ui/client', () => ({
  call: async (type: string, body: Record<string, unknown>) => {
    sent.push({ type, body });
    if (type === 'vault/snapshot') return snapshot();
    if (type === 'entries/remove-many') {
      const ids = body.ids as string[];
      const removed = stored.filter((e) => ids.includes(e.id));
      stored = stored.filter((e) => !ids.includes(e.id));
      return removed;
    }
    if (type === 'entries/restore-many') {
      stored = [...stored, ...(body.entries as OtpEntry[])].sort((a, b) => a.position - b.position);
      return null;
    }
    throw new Error(`unexpected call ${type}`);
  },
  errorText: (e: unknown) => String(e),
}));
const { EntriesSection } = await import('../../src/options/EntriesSection');

const entry = (issuer: string, account: string, position: number): OtpEntry => ({
  id: `id-${issuer}`, type: 'totp', secret: 'JBSWY3DPEHPK3PXP', issuer, account, algorithm: 'SHA1', digits: 6, period: 30,
  counter: 0, note: '', site: '', pinned: false, position, createdAt: 0, updatedAt: 0,
});
const snapshot = (): Snapshot => ({ state: 'unlocked', entries: [...stored], settings: DEFAULT_SETTINGS });

let root: HTMLElement;
withDomRoot((r) => (root = r));
function show() {
  const rerender = (s: Snapshot) => render(<EntriesSection snapshot={s} onSnapshot={rerender} />, root);
  return act(() => rerender(snapshot()));
}
beforeEach(() => {
  stored = [entry('GitHub', 'ada@work.example', 0), entry('GitLab', 'ada', 1), entry('Proton', 'ada@home.example', 2), entry('Steam', 'ada_s', 3)];
  sent.length = 0;
});

const titles = () => Array.from(root.querySelectorAll('ol.entries > li strong'), (s) => s.textContent);
const box = (label: string) => root.querySelector<HTMLInputElement>(`input[aria-label="${label}"]`)!;
const button = (text: RegExp) => Array.from(root.querySelectorAll('button')).find((b) => text.test(b.textContent ?? ''))!;
const settle = () => act(async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); });
async function check(label: string, on = true) {
  await act(() => {
    const b = box(label);
    b.checked = on;
    b.dispatchEvent(new Event('change', { bubbles: true }));
  });
}
async function search(text: string) {
  await act(() => {
    const input = box('Search codes');
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('options list of codes', () => {
  it('filters by issuer or account as the person types, and says how many are shown', async () => {
    await show();
    await search('git');
    expect(titles()).toEqual(['GitHub', 'GitLab']);
    await search('home');
    expect(titles()).toEqual(['Proton']);
    expect(root.textContent).toContain('Showing 1 of 4.');
    await search('nothing-like-this');
    expect(titles()).toEqual([]);
    expect(root.textContent).toContain('Nothing matches “nothing-like-this”.');
  });

  it('`/` focuses the search, but not while typing in a field', async () => {
    await show();
    const other = box('Select GitHub');
    other.focus();
    other.dispatchEvent(new KeyboardEvent('keydown', { key: '/', bubbles: true }));
    expect(document.activeElement).toBe(other);
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: '/', bubbles: true }));
    expect(document.activeElement).toBe(box('Search codes'));
  });

  it('deletes the selected codes in one call and brings them all back with one Undo', async () => {
    await show();
    expect(button(/^Delete selected/).disabled).toBe(true);
    await check('Select GitHub');
    await check('Select Proton');
    expect(button(/^Delete selected/).textContent).toBe('Delete selected (2)');
    await act(() => button(/^Delete selected/).click());
    await settle();
    expect(sent.filter((s) => s.type === 'entries/remove-many')).toEqual([{ type: 'entries/remove-many', body: { ids: ['id-GitHub', 'id-Proton'] } }]);
    expect(titles()).toEqual(['GitLab', 'Steam']);
    expect(root.querySelector('.toast')?.textContent).toContain('Deleted 2 codes.');
    expect(button(/^Delete selected/).disabled).toBe(true);
    expect(document.activeElement).toBe(box('Search codes')); // not lost to the page with the pressed button

    await act(() => button(/^Undo$/).click());
    await settle();
    const restore = sent.filter((s) => s.type === 'entries/restore-many');
    expect(restore).toHaveLength(1);
    expect((restore[0]!.body as { entries: OtpEntry[] }).entries.map((e) => e.id)).toEqual(['id-GitHub', 'id-Proton']);
    expect(titles()).toEqual(['GitHub', 'GitLab', 'Proton', 'Steam']);
    expect(root.querySelector('.toast')).toBeNull();
  });

  it('never deletes a selected code that the search hides', async () => {
    await show();
    await check('Select Steam');
    await search('git');
    await check('Select all shown');
    expect(button(/^Delete selected/).textContent).toBe('Delete selected (2)');
    await act(() => button(/^Delete selected/).click());
    await settle();
    expect(sent.find((s) => s.type === 'entries/remove-many')?.body).toEqual({ ids: ['id-GitHub', 'id-GitLab'] });
    await search('');
    expect(titles()).toEqual(['Proton', 'Steam']);
  });

  it('one Undo covers a single delete and a later multi-delete alike', async () => {
    await show();
    await act(() => root.querySelector<HTMLButtonElement>('button[aria-label="Delete GitLab"]')!.click());
    await settle();
    expect(root.querySelector('.toast')?.textContent).toContain('Deleted GitLab.');
    await check('Select Steam');
    await act(() => button(/^Delete selected/).click());
    await settle();
    expect(root.querySelector('.toast')?.textContent).toContain('Deleted 2 codes.');
    await act(() => button(/^Undo$/).click());
    await settle();
    expect(titles()).toEqual(['GitHub', 'GitLab', 'Proton', 'Steam']);
  });
});
