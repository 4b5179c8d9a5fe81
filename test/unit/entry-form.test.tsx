// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OtpEntry } from '../../src/vault/types';
import { withDomRoot } from './dom-root';

// The form talks to the background only through the client: record what it sends.
const sent: { type: string; body: unknown }[] = [];
/** When set, the background refuses the next request with this message. */
let refusal: string | null = null;
vi.mock('../../src/ui/client', () => ({
  call: async (type: string, body: { id: string }) => {
    sent.push({ type, body });
    if (refusal) throw new Error(refusal);
    return { ...entry, id: body.id };
  },
  errorText: (e: unknown) => String(e),
}));
const { AddEntry, ManualForm } = await import('../../src/ui/EntryForm');

const SECRET = 'KRUGKIDTMVRXEZLUEBVWK6JAMJSWY33X';
const entry: OtpEntry = {
  id: 'e1', type: 'totp', secret: SECRET, issuer: 'Bank', account: 'me', algorithm: 'SHA1', digits: 6, period: 30,
  counter: 0, note: '', site: '', pinned: false, position: 0, createdAt: 0, updatedAt: 0,
};

let root: HTMLElement;
withDomRoot((r) => (root = r));
beforeEach(() => {
  sent.length = 0;
  refusal = null;
});

const secretInput = () => root.querySelector<HTMLInputElement>('input[name=secret]')!;
const button = (text: string) => Array.from(root.querySelectorAll('button')).find((b) => b.textContent === text)!;
const shownAnywhere = () => root.innerHTML.includes(SECRET) || Array.from(root.querySelectorAll('input'), (i) => i.value).includes(SECRET);
const click = (b: HTMLElement) => act(() => b.click());

function type(input: HTMLInputElement, value: string) {
  return act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function submit() {
  await act(async () => {
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
}

describe('the edit form’s secret', () => {
  it('is masked and absent from the page until Show', async () => {
    await act(() => render(<ManualForm editing={entry} onSaved={() => undefined} />, root));
    expect(secretInput().type).toBe('password');
    expect(secretInput().value).toBe('');
    expect(shownAnywhere()).toBe(false);
    await click(button('Show'));
    expect(secretInput().type).toBe('text');
    expect(secretInput().value).toBe(SECRET);
  });

  it('is dropped again by Hide when unchanged, and is gone once the form closes', async () => {
    await act(() => render(<ManualForm editing={entry} onSaved={() => undefined} />, root));
    await click(button('Show'));
    await click(button('Hide'));
    expect(secretInput().type).toBe('password');
    expect(shownAnywhere()).toBe(false);
    await click(button('Show'));
    await act(() => render(null, root));
    expect(shownAnywhere()).toBe(false);
  });

  it('is not sent on save unless revealed or replaced, so the stored one is kept', async () => {
    await act(() => render(<ManualForm editing={entry} onSaved={() => undefined} />, root));
    await submit();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.type).toBe('entries/update');
    expect((sent[0]!.body as { form: object }).form).not.toHaveProperty('secret');
    await type(secretInput(), 'GEZDGNBVGY3TQOJQ');
    await submit();
    expect((sent[1]!.body as { form: { secret: string } }).form.secret).toBe('GEZDGNBVGY3TQOJQ');
  });

  it('a replaced secret stays (masked) after Hide: the person’s edit is not lost', async () => {
    await act(() => render(<ManualForm editing={entry} onSaved={() => undefined} />, root));
    await click(button('Show'));
    await type(secretInput(), 'GEZDGNBVGY3TQOJQ');
    await click(button('Hide'));
    expect(secretInput().type).toBe('password');
    expect(secretInput().value).toBe('GEZDGNBVGY3TQOJQ');
  });

  it('adding a code: the secret field is plain text and has no Show button', async () => {
    await act(() => render(<ManualForm onSaved={() => undefined} />, root));
    expect(secretInput().type).toBe('text');
    expect(button('Show')).toBeUndefined();
  });
});

describe('the edit form’s digits', () => {
  const digitsSelect = () => root.querySelector<HTMLSelectElement>('select[name=digits]')!;
  const typeSelect = () => root.querySelector<HTMLSelectElement>('select[name=type]')!;
  const steam: OtpEntry = { ...entry, id: 's1', type: 'steam', digits: 5, issuer: 'Steam' };

  it('shows a Steam entry’s 5 characters, not the first choice of the list', async () => {
    await act(() => render(<ManualForm editing={steam} onSaved={() => undefined} />, root));
    expect(digitsSelect().value).toBe('5');
    expect(digitsSelect().selectedOptions[0]?.textContent).toBe('5');
    expect(digitsSelect().disabled).toBe(true);
  });

  it('offers 6 to 8 again when the type changes from Steam, starting at 6', async () => {
    await act(() => render(<ManualForm editing={steam} onSaved={() => undefined} />, root));
    await act(() => {
      typeSelect().value = 'totp';
      typeSelect().dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(Array.from(digitsSelect().options, (o) => o.value)).toEqual(['6', '7', '8']);
    expect(digitsSelect().value).toBe('6');
    await submit();
    expect((sent[0]!.body as { form: { digits: string } }).form.digits).toBe('6');
  });
});

describe('an error after saving', () => {
  const alert = () => root.querySelector('[role=alert]')?.textContent ?? null;

  it('goes once the person edits a field of the form (by hand)', async () => {
    await act(() => render(<ManualForm onSaved={() => undefined} />, root));
    refusal = 'The secret is not valid base32.';
    await submit();
    expect(alert()).toContain('The secret is not valid base32.');
    await type(secretInput(), 'JBSWY3DPEHPK3PXP');
    expect(alert()).toBeNull();
  });

  it('goes once the person edits the pasted link', async () => {
    await act(() => render(<AddEntry onSaved={() => undefined} />, root));
    const link = root.querySelector<HTMLTextAreaElement>('textarea[name=uri]')!;
    await type(link as unknown as HTMLInputElement, 'otpauth://totp/x');
    refusal = 'That is not an otpauth link.';
    await submit();
    expect(alert()).toContain('That is not an otpauth link.');
    await type(link as unknown as HTMLInputElement, 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP');
    expect(alert()).toBeNull();
  });
});
