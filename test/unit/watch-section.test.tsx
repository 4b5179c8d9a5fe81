// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountView, AuditedAccount, WatchState } from '../../src/lib/messages';
import type { Capabilities } from '../../src/connectors/types';
import type { LinkedAccount } from '../../src/sessions/types';
import { DEFAULT_RULES } from '../../src/sessions/rules';
import { withDomRoot } from './dom-root';

// The section's background: the schedule and the rules as stored, changed by its calls.
let state: WatchState;
const sent: { type: string; body: unknown }[] = [];
/** What the next "Audit now" finds, per account. */
let audited: AuditedAccount[] = [];
/** Accounts whose rules the background refuses to store. */
const refuse = new Set<string>();
vi.mock('../../src/ui/client', () => ({
  call: async (type: string, body: Record<string, unknown>) => {
    sent.push({ type, body });
    if (type === 'watch/state') return state;
    if (type === 'sessions/overview') return views;
    if (type === 'watch/schedule') return (state = { ...state, everyHours: body.everyHours as number });
    if (type === 'watch/rules') {
      if (refuse.has(body.accountId as string)) throw new Error('That account is no longer linked.');
      return state;
    }
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
withDomRoot((r) => (root = r));
const settle = () => act(async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r)); });
const form = (id: string) => root.querySelector<HTMLFormElement>(`form[data-account-id="${id}"]`)!;
const field = (id: string, name: string) => form(id).querySelector<HTMLInputElement>(`[name="${name}"]`)!;

beforeEach(() => {
  state = { everyHours: 6, accounts: views.map((v) => ({ accountId: v.account.id, rules: { ...DEFAULT_RULES } })) };
  sent.length = 0;
  audited = [];
  refuse.clear();
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

  it('says a sign-out by the account’s own rule calmly, not as an audit that fails', async () => {
    state.accounts[0]!.problem = { kind: 'signed-out', message: '', since: Date.UTC(2026, 10, 1, 9), byRule: true };
    state.accounts[1]!.problem = { kind: 'signed-out', message: '', since: Date.UTC(2026, 10, 1, 9) };
    await act(() => render(<WatchSection />, root));
    await settle();
    expect(form('dated').querySelector('.error')).toBeNull();
    expect(form('dated').textContent).toMatch(/Signed out here by this account’s rule on .*: the audits resume once you sign in again\./);
    expect(form('undated').querySelector('.error')?.textContent).toMatch(/^Cannot be audited since/);
  });

  it('says the others hidden (better-auth past a day) as a notice of what the watch cannot see, not as an error', async () => {
    state.accounts[0]!.problem = { kind: 'reauth', message: '', since: Date.UTC(2026, 10, 1, 9), hidden: { key: 'connErr_baFresh', subs: ['dated.example'] } };
    await act(() => render(<WatchSection />, root));
    await settle();
    expect(form('dated').querySelector('.error')).toBeNull();
    expect(form('dated').querySelector('.notice')?.textContent).toMatch(/^Cannot be audited since .*: dated\.example shows your other sessions only to a sign-in less than a day old \(better-auth’s default\)\. Until you sign in there again, Revoke cannot notice new sign-ins there\.$/);
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

  describe('the rules’ numbers', () => {
    // Typing as a browser reports it: the field's text, then an input event (the field keeps what it shows).
    const typeInto = async (input: HTMLInputElement, ...texts: string[]) => {
      for (const text of texts) {
        input.value = text;
        await act(() => void input.dispatchEvent(new Event('input', { bubbles: true })));
      }
    };
    const click = async (box: HTMLInputElement) => {
      box.checked = !box.checked;
      await act(() => void box.dispatchEvent(new Event('change', { bubbles: true })));
    };
    const submit = async (id: string) => {
      await act(() => void form(id).dispatchEvent(new Event('submit', { cancelable: true })));
      await settle();
    };
    const saves = () => sent.filter((m) => m.type === 'watch/rules');
    const said = (input: HTMLInputElement) => root.querySelector(`#${input.getAttribute('aria-describedby')}`)?.textContent;

    it('an emptied field stays on and editable with what was typed, and Save refuses it beside the field, storing nothing', async () => {
      state.accounts[0]!.rules = { ...DEFAULT_RULES, inactiveDays: 30 };
      await act(() => render(<WatchSection />, root));
      await settle();
      const days = field('dated', 'inactiveDays');
      days.focus();
      await typeInto(days, '3', ''); // Backspace twice
      expect(field('dated', 'inactive').checked).toBe(true);
      expect(days.disabled).toBe(false);
      expect(days.value).toBe('');
      expect(document.activeElement).toBe(days);
      expect(days.hasAttribute('aria-invalid')).toBe(false); // not while typing

      field('dated', 'signOutOnStart').focus();
      await submit('dated');
      expect(saves()).toEqual([]);
      expect(days.getAttribute('aria-invalid')).toBe('true');
      expect(said(days)).toBe('Enter a whole number of days from 1 to 3,650.');
      expect(document.activeElement).toBe(days);
      expect(root.textContent).not.toContain('Rules saved');

      // Typing again takes the complaint away, and a whole number is saved.
      await typeInto(days, '4', '45');
      expect(days.hasAttribute('aria-invalid')).toBe(false);
      await submit('dated');
      expect(saves()).toEqual([{ type: 'watch/rules', body: { accountId: 'dated', rules: { ...DEFAULT_RULES, inactiveDays: 45 } } }]);
    });

    it('keeps a number typed key by key as typed, and refuses one that is not whole or is out of bounds', async () => {
      await act(() => render(<WatchSection />, root));
      await settle();
      await click(field('dated', 'inactive'));
      const days = field('dated', 'inactiveDays');
      expect(days.value).toBe('30');
      await typeInto(days, '2', '2.5');
      expect(days.value).toBe('2.5');
      expect(field('dated', 'inactive').checked).toBe(true);
      await submit('dated');
      expect(saves()).toEqual([]);
      expect(said(days)).toBe('Enter a whole number of days from 1 to 3,650.');

      // The hours field the same way; the first field in the wrong gets the focus.
      await typeInto(days, '7');
      await click(field('dated', 'olderThan'));
      const hours = field('dated', 'signOutAfterHours');
      expect(hours.value).toBe('12');
      for (const wrong of ['0', '8761', '']) {
        await typeInto(hours, wrong);
        expect(hours.value).toBe(wrong);
        expect(field('dated', 'olderThan').checked).toBe(true);
        expect(hours.disabled).toBe(false);
        await submit('dated');
        expect(saves()).toEqual([]);
        expect(hours.getAttribute('aria-invalid')).toBe('true');
        expect(said(hours)).toBe('Enter a whole number of hours from 1 to 8,760.');
        expect(document.activeElement).toBe(hours);
      }
      await typeInto(hours, '8760');
      await submit('dated');
      expect(saves()).toEqual([{ type: 'watch/rules', body: { accountId: 'dated', rules: { ...DEFAULT_RULES, inactiveDays: 7, signOutAfterHours: 8760 } } }]);
    });

    it('a rule turned off is saved off whatever its field holds, and turning it on again keeps what the field holds', async () => {
      state.accounts[0]!.rules = { ...DEFAULT_RULES, inactiveDays: 30 };
      await act(() => render(<WatchSection />, root));
      await settle();
      const days = field('dated', 'inactiveDays');
      await typeInto(days, '');
      await click(field('dated', 'inactive'));
      expect(days.disabled).toBe(true);
      await submit('dated');
      expect(saves()).toEqual([{ type: 'watch/rules', body: { accountId: 'dated', rules: DEFAULT_RULES } }]);
      expect(form('dated').querySelector('[role="status"]')!.textContent).toBe('Rules saved for dated on dated.example.');
      await click(field('dated', 'inactive'));
      expect(days.disabled).toBe(false);
      expect(days.value).toBe('');
    });
  });

  it('says beside each account’s Save button what saving did, not at the top of the section', async () => {
    refuse.add('undated');
    await act(() => render(<WatchSection />, root));
    await settle();
    const status = (id: string) => form(id).querySelector('[role="status"]')!;
    const sectionStatus = () => [...root.querySelectorAll('[role="status"], [role="alert"]')].filter((e) => !e.closest('form')).map((e) => e.textContent).join('');
    // The live regions are there before anything is said, so what is said is announced.
    expect(status('dated').textContent).toBe('');
    await act(() => void form('dated').dispatchEvent(new Event('submit', { cancelable: true })));
    await settle();
    expect(status('dated').textContent).toBe('Rules saved for dated on dated.example.');
    expect(status('dated').previousElementSibling?.textContent).toBe('Save rules');
    expect(status('undated').textContent).toBe('');
    expect(sectionStatus()).toBe('');

    await act(() => void form('undated').dispatchEvent(new Event('submit', { cancelable: true })));
    await settle();
    expect(status('undated').textContent).toBe('Error: That account is no longer linked.');
    expect(sectionStatus()).toBe('');

    // The schedule keeps the section's status.
    const select = root.querySelector<HTMLSelectElement>('select[name="everyHours"]')!;
    select.value = '12';
    await act(() => void select.dispatchEvent(new Event('change')));
    await settle();
    expect(sectionStatus()).toBe('Saved.');
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
    // What a rule did counts also where the audit could not see everything.
    expect(auditSummary([found({ accountId: 'dated', ruleActions: 1, failure: { kind: 'reauth', message: 'Others hidden.' } })], views))
      .toBe('Audited 0 of 1 account: 1 action by a rule. Could not audit dated on dated.example: The site wants you to sign in again first: Others hidden.');
    // The others hidden for now: said as what the watch cannot see, without "sign in again first".
    const hidden = { key: 'connErr_baFresh' as const, subs: ['dated.example'] };
    expect(auditSummary([found({ accountId: 'dated', failure: { kind: 'reauth', message: '', hidden } })], views))
      .toBe('Could not audit dated on dated.example: dated.example shows your other sessions only to a sign-in less than a day old (better-auth’s default). Until you sign in there again, Revoke cannot notice new sign-ins there.');
  });
});
