// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountView, AuditedAccount, WatchState } from '../../src/lib/messages';
import type { Capabilities } from '../../src/connectors/types';
import type { LinkedAccount } from '../../src/sessions/types';
import { DEFAULT_RULES } from '../../src/sessions/rules';

// The section's background: the schedule and the rules as stored, changed by its calls.
let state: WatchState;
const sent: { type: string; body: unknown }[] = [];
/** What the next "Audit now" finds, per account. */
let audited: AuditedAccount[] = [];
vi.mock('../../src/ui/client', () => ({
  call: async (type: string, body: Record<string, unknown>) => {
    sent.push({ type, body });
    if (type === 'watch/state') return state;
    if (type === 'sessions/overview') return views;
    if (type === 'watch/schedule') return (state = { ...state, everyHours: body.everyHours as number });
    if (type === 'watch/rules') return state;
    if (type === 'watch/run') return { state: (state = { ...state, accounts: state.accounts.map((a) => ({ ...a, lastRunAt: 5 })) }), audited };
    throw new Error(`unexpected call ${type}`);
  },
  errorText: (e: unknown) => String(e),
}));
const { WatchSection } = await import('../../src/options/WatchSection');

const CAN: Capabilities = { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true };
const account = (id: string, connectorId: string): LinkedAccount => ({ id, connectorId, origin: `https://${id}.example`, settings: {}, label: id, linkedAt: 1 });
const view = (id: string, connectorId: string, name: string, can: Capabilities): AccountView => ({
  account: account(id, connectorId), connector: { id: connectorId, name, can, manageUrl: `https://${id}.example/` },
});
// Kratos dates this browser's session; "Any site" cannot, and lists only this browser's session.
const views = [view('dated', 'kratos', 'Ory Kratos', { ...CAN, sessionStart: true }), view('undated', 'generic', 'Any site', { ...CAN, revokeOthers: false, onlyThisBrowser: true }),
  view('provider', 'google', 'Google', { list: false, revokeOne: false, revokeOthers: false, revokeAll: true, localSignOut: true })];

let root: HTMLElement;
const settle = () => act(async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r)); });
const form = (id: string) => root.querySelector<HTMLFormElement>(`form[data-account-id="${id}"]`)!;
const field = (id: string, name: string) => form(id).querySelector<HTMLInputElement>(`[name="${name}"]`)!;

beforeEach(() => {
  state = { everyHours: 6, accounts: views.map((v) => ({ accountId: v.account.id, rules: { ...DEFAULT_RULES } })) };
  sent.length = 0;
  audited = [];
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('the Watch section', () => {
  it('offers “older than N hours” only where the service says when this browser signed in, and says why not elsewhere', async () => {
    await act(() => render(<WatchSection />, root));
    await settle();
    expect(field('dated', 'olderThan').disabled).toBe(false);
    expect(form('dated').textContent).not.toContain('does not say when');
    const box = field('undated', 'olderThan');
    expect(box.disabled).toBe(true);
    expect(field('undated', 'signOutAfterHours').disabled).toBe(true);
    const note = root.querySelector(`#${box.getAttribute('aria-describedby')}`);
    expect(note?.textContent).toBe('Any site does not say when this browser signed in, so Revoke cannot tell how old its session is.');
  });

  it('offers the rules about other sessions only where the service lists them, and says why not elsewhere', async () => {
    await act(() => render(<WatchSection />, root));
    await settle();
    expect(field('dated', 'inactive')).not.toBeNull();
    expect(field('dated', 'unrecognised')).not.toBeNull();
    expect(form('dated').textContent).not.toContain('shows only this browser');
    expect(field('undated', 'inactive')).toBeNull();
    expect(field('undated', 'unrecognised')).toBeNull();
    expect(form('undated').textContent).toContain('Any site shows only this browser’s session, so the rules about other sessions do not apply here.');
    // What does apply stays offered.
    expect(field('undated', 'signOutOnStart').disabled).toBe(false);
    // A sign-in provider lists no sessions at all, and is told so.
    expect(field('provider', 'inactive')).toBeNull();
    expect(form('provider').textContent).toContain('Google lists no sessions, so the rules about other sessions do not apply here.');
  });

  it('names each account once, with its service only where the name does not already say it', async () => {
    views[1]!.account.label = 'Any site (undated.example)';
    try {
      await act(() => render(<WatchSection />, root));
      await settle();
      expect(form('undated').querySelector('legend')!.textContent).toBe('Any site (undated.example)');
      expect(form('dated').querySelector('legend')!.textContent).toBe('dated on dated.example · Ory Kratos');
    } finally {
      views[1]!.account.label = 'undated';
    }
  });

  it('does not save the rule for a service that cannot date the session, even one stored before', async () => {
    state.accounts[1]!.rules = { ...DEFAULT_RULES, signOutAfterHours: 8, inactiveDays: 30, unrecognised: 'end' };
    await act(() => render(<WatchSection />, root));
    await settle();
    expect(field('undated', 'olderThan').checked).toBe(false);
    await act(() => void form('undated').dispatchEvent(new Event('submit', { cancelable: true })));
    expect(sent.at(-1)).toEqual({ type: 'watch/rules', body: { accountId: 'undated', rules: { ...DEFAULT_RULES, signOutAfterHours: null } } });
  });

  it('says that the rules do not run on their own while audits are off', async () => {
    await act(() => render(<WatchSection />, root));
    await settle();
    const said = () => root.querySelector('#watch-rules-off')?.textContent ?? null;
    expect(said()).toBeNull();
    const select = root.querySelector<HTMLSelectElement>('select[name="everyHours"]')!;
    select.value = '0';
    await act(() => void select.dispatchEvent(new Event('change')));
    await settle();
    expect(said()).toBe('Audits are off, so these rules do not run on their own, only when you press “Audit now”. “Sign this browser out when it starts” still runs whenever the browser starts.');
    expect(form('dated').querySelector('fieldset')!.getAttribute('aria-describedby')).toBe('watch-rules-off');
  });

  it('“Audit now” says what the audit found, and which accounts it could not audit and why', async () => {
    audited = [
      { accountId: 'dated', newSignIns: 1, ruleActions: 0 },
      { accountId: 'undated', newSignIns: 0, ruleActions: 0, failure: { kind: 'offline', message: '' } },
      { accountId: 'provider', newSignIns: 0, ruleActions: 0 },
    ];
    await act(() => render(<WatchSection />, root));
    await settle();
    const region = [...root.querySelectorAll('[role="status"]')].find((e) => !e.closest('form'))!;
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent).toBe('');
    const button = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Audit now')!;
    await act(() => void button.click());
    await settle();
    expect(region.textContent).toBe('Audited 2 of 3 accounts: 1 new sign-in. Could not audit undated on undated.example: The site could not be reached');
    expect(root.textContent).toContain('Last audit:');
  });
});

describe('the audit’s summary', () => {
  const found = (a: Partial<AuditedAccount> & { accountId: string }): AuditedAccount => ({ newSignIns: 0, ruleActions: 0, ...a });
  it('counts accounts, new sign-ins and rules’ actions in plurals, and names what could not be audited', async () => {
    const { auditSummary } = await import('../../src/options/WatchSection');
    expect(auditSummary([found({ accountId: 'dated' })], views)).toBe('Audited 1 account: nothing new.');
    expect(auditSummary([found({ accountId: 'dated', newSignIns: 2, ruleActions: 1 }), found({ accountId: 'provider', newSignIns: 1 })], views))
      .toBe('Audited 2 accounts: 3 new sign-ins and 1 action by a rule.');
    expect(auditSummary([found({ accountId: 'dated', ruleActions: 2 })], views)).toBe('Audited 1 account: 2 actions by rules.');
    expect(auditSummary([found({ accountId: 'undated', failure: { kind: 'signed-out', message: '' } })], views))
      .toBe('Could not audit undated on undated.example: Not signed in there on this browser.');
    expect(auditSummary([found({ accountId: 'dated', failure: { kind: 'timeout', message: 'no answer in 20 s' } })], views))
      .toBe('Could not audit dated on dated.example: The site took too long to answer: no answer in 20 s');
  });
});
