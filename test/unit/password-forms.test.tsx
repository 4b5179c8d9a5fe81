// @vitest-environment happy-dom
/** A password form's complaint lasts only while it is true: "needs at least 8 characters" never sits beside "Very strong". */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { withDomRoot } from './dom-root';

const sent: string[] = [];
vi.mock('../../src/ui/client', () => ({
  call: async (type: string) => {
    sent.push(type);
    return { state: 'unlocked', entries: [], corrupt: 0, settings: {} };
  },
  errorText: (e: unknown) => String(e),
}));
const { ChangePasswordForm, SetupForm } = await import('../../src/ui/PasswordForms');

let root: HTMLElement;
withDomRoot((r) => (root = r));
beforeEach(() => {
  sent.length = 0;
});

const input = (name: string) => root.querySelector<HTMLInputElement>(`input[name=${name}]`)!;
const alertText = () => root.querySelector('[role=alert]')?.textContent ?? null;
const type = (name: string, value: string) => act(() => {
  input(name).value = value;
  input(name).dispatchEvent(new Event('input', { bubbles: true }));
});
const submit = () => act(async () => {
  root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
});

describe('password forms', () => {
  it('setup: the length complaint goes once the password is long enough, and the next one shows while it holds', async () => {
    render(<SetupForm onDone={() => undefined} />, root);
    await type('password', 'short');
    await submit();
    expect(alertText()).toMatch(/at least 8 characters/);
    await type('password', 'correct horse battery staple');
    expect(alertText()).toBe('The two passwords differ.');
    await type('confirm', 'correct horse battery staple');
    expect(alertText()).toBeNull();
    expect(sent).toEqual([]); // nothing was sent while the form was refused
  });

  it('change password: the same, for the new password', async () => {
    render(<ChangePasswordForm />, root);
    await type('old', 'old password 123');
    await type('new', 'short');
    await submit();
    expect(alertText()).toMatch(/at least 8 characters/);
    await type('new', 'correct horse battery staple');
    await type('confirm', 'correct horse battery staple');
    expect(alertText()).toBeNull();
  });
});
