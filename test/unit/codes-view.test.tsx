// @vitest-environment happy-dom
/** The popup's codes: a name cut to one line can still be read whole, and is heard whole. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type Snapshot } from '../../src/lib/messages';
import type { OtpEntry } from '../../src/vault/types';

vi.mock('../../src/lib/browser', () => ({ default: { runtime: { sendMessage: vi.fn(), onMessage: { addListener: vi.fn() } } } }));
vi.mock('../../src/ui/client', () => ({ call: vi.fn(async () => null), errorText: (e: unknown) => String(e) }));
const { CodesView } = await import('../../src/popup/CodesView');

const entry = (id: string, issuer: string, account: string): OtpEntry => ({
  id, type: 'totp', secret: 'JBSWY3DPEHPK3PXP', issuer, account, algorithm: 'SHA1', digits: 6, period: 30,
  counter: 0, note: '', site: '', pinned: false, position: 0, createdAt: 0, updatedAt: 0,
});
const longIssuer = 'Example Corporation Internal Single Sign-On Service for Contractors';
const longAccount = 'firstname.middlename.lastname+work-projects@subsidiary.example.co.uk';

function show(entries: OtpEntry[]) {
  const snapshot: Snapshot = { state: 'unlocked', entries, settings: DEFAULT_SETTINGS };
  act(() => render(<CodesView snapshot={snapshot} host={null} onSnapshot={() => undefined} />, document.body));
}
const row = (id: string) => document.querySelector<HTMLButtonElement>(`button.code[data-entry-id="${id}"]`)!;

afterEach(() => render(null, document.body));

describe('CodesView, long names', () => {
  it('gives the issuer and account whole in a title, and keeps them whole in the button’s name', () => {
    show([entry('a', longIssuer, longAccount)]);
    const names = row('a').querySelector<HTMLElement>('.names')!;
    expect(names.title).toBe(`${longIssuer}\n${longAccount}`);
    // The name a screen reader hears comes from the button's text: nothing cut there.
    expect(row('a').textContent).toContain(longIssuer);
    expect(row('a').textContent).toContain(longAccount);
  });

  it('titles an entry with only an account by that account, once', () => {
    show([entry('b', '', longAccount)]);
    expect(row('b').querySelector<HTMLElement>('.names')!.title).toBe(longAccount);
  });

  it('shows hidden characters in the title as it does in the row', () => {
    show([entry('c', 'Bank\u202Eevil', 'ann')]);
    expect(row('c').querySelector<HTMLElement>('.names')!.title).toBe('Bank⟨U+202E⟩evil\nann');
  });
});
