// @vitest-environment happy-dom
/**
 * The popup's "Link <service> at <host>": the permission prompt opens inside the click (nothing is
 * awaited before it, or Chrome and Firefox refuse it), then the account is linked through
 * accounts/link, and the offer gives way to the list.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DetectedSite } from '../../src/connectors/detect';

const site: DetectedSite = { connectorId: 'discourse', service: 'Discourse forum', instanceUrl: 'https://forum.example.org/forum', origin: 'https://forum.example.org' };
let granted = true;
/** What accounts/link answers: the account saved, with its first check. */
const saved = async () => ({ account: { id: 'acc-new' }, result: { state: 'signed-out' } });
let linkAnswer: () => Promise<unknown> = saved;
const calls: { type: string; body: unknown }[] = [];
const request = vi.fn(async (_permissions: unknown) => granted);

vi.mock('../../src/lib/browser', () => ({
  default: { permissions: { request: (p: unknown) => request(p) }, runtime: { sendMessage: vi.fn(), onMessage: { addListener: vi.fn() } } },
}));
vi.mock('../../src/ui/client', async (original) => ({
  ...(await original<typeof import('../../src/ui/client')>()),
  call: vi.fn(async (type: string, body: unknown) => {
    calls.push({ type, body });
    return type === 'accounts/detect' ? site : linkAnswer();
  }),
}));
const { LinkThisSite } = await import('../../src/popup/LinkThisSite');
const { AppError } = await import('../../src/lib/messages');

async function mount(onLinked = vi.fn()) {
  await act(async () => {
    render(<LinkThisSite class="stack" onLinked={onLinked} />, document.body);
  });
  await vi.waitFor(() => expect(document.querySelector('button')).not.toBeNull());
  return onLinked;
}
const button = () => document.querySelector('button')!;

beforeEach(() => {
  granted = true;
  linkAnswer = saved;
  calls.length = 0;
  request.mockClear();
});
afterEach(() => {
  render(null, document.body);
});

describe('LinkThisSite', () => {
  it('asks for the site’s permission inside the click, then links it and hands over to the list', async () => {
    const onLinked = await mount();
    expect(button().textContent).toBe('Link Discourse forum at forum.example.org/forum');
    button().click();
    // Synchronously, in the click: no await came before the prompt, and the link request went with
    // it, to wait in the background for the grant (the prompt may close the popup in Firefox).
    expect(request).toHaveBeenCalledWith({ origins: ['https://forum.example.org/*', 'http://forum.example.org/*'] });
    expect(calls[1]).toEqual({ type: 'accounts/link', body: { connectorId: 'discourse', url: 'https://forum.example.org/forum', settings: {}, awaitGrant: true } });
    await vi.waitFor(() => expect(onLinked).toHaveBeenCalledOnce());
    expect(onLinked).toHaveBeenCalledWith('acc-new'); // the list moves focus to it
    await vi.waitFor(() => expect(document.body.textContent).toBe(''));
  });

  it('says so when the permission is refused, and does not wait for the link the background gives up on', async () => {
    granted = false;
    // Without the grant the background's wait ends in 'forbidden' (later): never settled here.
    linkAnswer = () => new Promise(() => undefined);
    const onLinked = await mount();
    await act(async () => button().click());
    await vi.waitFor(() => expect(document.querySelector('[role=alert]')?.textContent).toContain('Permission for forum.example.org was not granted'));
    expect(button().disabled).toBe(false);
    expect(onLinked).not.toHaveBeenCalled();
  });

  it('shows why the link was refused, and offers "Link anyway" only for a site that may be down now', async () => {
    linkAnswer = async () => {
      throw new AppError('unverified', 'Revoke could not check forum.example.org now.');
    };
    await mount();
    await act(async () => button().click());
    await vi.waitFor(() => expect(document.querySelector('[role=alert]')?.textContent).toContain('could not check'));
    const anyway = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Link anyway')!;
    linkAnswer = saved;
    await act(async () => anyway.click());
    await vi.waitFor(() => expect(calls.at(-1)).toEqual({ type: 'accounts/link', body: { connectorId: 'discourse', url: 'https://forum.example.org/forum', settings: {}, awaitGrant: true, force: true } }));
  });
});
