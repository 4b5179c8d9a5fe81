// @vitest-environment happy-dom
/** The options and welcome pages' link form: a refusal speaks of the address sent, and goes when it changes. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectorInfo } from '../../src/lib/messages';

const can = { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true };
const connectors = [
  { id: 'discourse', name: 'Discourse forum', origins: [], instanceUrl: true, can },
] as unknown as ConnectorInfo[];
let linkAnswer: () => Promise<unknown>;

vi.mock('../../src/lib/browser', () => ({
  default: { permissions: { request: async () => true }, runtime: { sendMessage: vi.fn(), onMessage: { addListener: vi.fn() } } },
}));
vi.mock('../../src/ui/client', async (original) => ({
  ...(await original<typeof import('../../src/ui/client')>()),
  call: vi.fn(async (type: string) => (type === 'accounts/connectors' ? connectors : linkAnswer())),
}));
const { LinkAccountForm } = await import('../../src/ui/LinkAccountForm');
const { AppError } = await import('../../src/lib/messages');

const alert = () => document.querySelector('[role=alert]')?.textContent ?? null;
const urlInput = () => document.querySelector<HTMLInputElement>('input[name=url]')!;
const buttons = () => [...document.querySelectorAll('button')].map((b) => b.textContent);

async function type(input: HTMLInputElement, value: string) {
  await act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function mount() {
  await act(async () => {
    render(<LinkAccountForm onLinked={() => undefined} />, document.body);
  });
  await vi.waitFor(() => expect(document.querySelector('input[name=url]')).not.toBeNull());
}

async function submit() {
  await act(async () => {
    document.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await vi.waitFor(() => expect(alert()).not.toBeNull());
}

beforeEach(() => {
  linkAnswer = async () => {
    throw new AppError('unverified', 'forum.example.org did not answer.');
  };
});
afterEach(() => render(null, document.body));

describe('LinkAccountForm, a refused link', () => {
  it('drops the error and "Link anyway" once the address is edited', async () => {
    await mount();
    await type(urlInput(), 'https://forum.example.org');
    await submit();
    expect(alert()).toBe('forum.example.org did not answer.');
    expect(buttons()).toContain('Link anyway');
    await type(urlInput(), 'https://forum.example.net');
    expect(alert()).toBeNull();
    // "Link anyway" would link the new address unchecked: it goes with the error it answered.
    expect(buttons()).not.toContain('Link anyway');
  });

  it('keeps the error while nothing it concerns changes', async () => {
    await mount();
    await type(urlInput(), 'not an address at all');
    await submit();
    const said = alert();
    expect(said).not.toBeNull();
    await act(async () => undefined);
    expect(alert()).toBe(said);
  });
});
