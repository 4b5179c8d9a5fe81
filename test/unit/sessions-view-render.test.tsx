// @vitest-environment happy-dom
/** The popup's sessions view shows what a server sent as it really is: hidden characters escaped. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccountView } from '../../src/lib/messages';

const view: AccountView = {
  account: {
    id: 'acc-1', connectorId: 'better-auth', origin: 'https://auth.example.test', settings: {},
    label: 'Work', linkedAt: 0,
  },
  connector: {
    id: 'better-auth', name: 'better-auth', manageUrl: 'https://auth.example.test/sessions',
    can: { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true },
  },
  result: {
    state: 'ok', fetchedAt: Date.now(), whoami: { account: 'ada\u202E@example.test' },
    sessions: [{ id: 's1', current: false, device: '\u202Egnp.exe', ip: '203.0.113.7', extra: { 'Note\u200B': 'hi\u2066there' } }],
  },
};

vi.mock('../../src/lib/browser', () => ({
  default: { tabs: { create: vi.fn() }, runtime: { getURL: (p: string) => p, sendMessage: vi.fn(), onMessage: { addListener: vi.fn() } } },
}));
/** While set, the popup's checks of the sites wait for it to be called. */
let holdRefresh: Promise<void> | null = null;

vi.mock('../../src/ui/client', async (original) => ({
  ...(await original<typeof import('../../src/ui/client')>()),
  call: vi.fn(async (type: string) => {
    if (type === 'sessions/refresh' && holdRefresh) await holdRefresh;
    return type === 'accounts/detect' ? null : [view];
  }),
}));

afterEach(() => {
  render(null, document.body);
});

describe('SessionsView', () => {
  it('renders a device named "\\u202Egnp.exe" visibly escaped, isolated from the text around it', async () => {
    const { SessionsView } = await import('../../src/popup/SessionsView');
    await act(async () => {
      render(<SessionsView />, document.body);
    });
    await vi.waitFor(() => expect(document.querySelector('li.session')).not.toBeNull());
    await act(async () => {
      document.querySelector<HTMLButtonElement>('li.session .session-main')!.click();
    });

    const title = document.querySelector('li.session .session-title')!;
    expect(title.textContent).toBe('⟨U+202E⟩gnp.exe');
    expect(title.querySelector('bdi')?.textContent).toBe('⟨U+202E⟩gnp.exe');
    const details = [...document.querySelectorAll('dl.details dd')].map((dd) => dd.textContent);
    expect(details).toContain('⟨U+202E⟩gnp.exe');
    expect(details).toContain('hi⟨U+2066⟩there');
    expect(document.body.textContent).toContain('ada⟨U+202E⟩@example.test');
    expect(document.body.textContent).toContain('Note⟨U+200B⟩');
    // Nothing invisible reaches the page.
    expect(document.body.textContent).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B]/u);
  });

  it('says the sites are being checked from the first frame on, never "Up to date" for what was cached', async () => {
    // The checks are sent after the first frame: hold that frame back to see it as it is painted.
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => frames.push(f));
    let answer!: () => void;
    holdRefresh = new Promise((resolve) => (answer = resolve));
    try {
      const { SessionsView } = await import('../../src/popup/SessionsView');
      await act(async () => {
        render(<SessionsView />, document.body);
      });
      await vi.waitFor(() => expect(document.querySelector('li.session')).not.toBeNull());
      expect(document.body.textContent).toContain('Checking 1 of 1 site');
      expect(document.body.textContent).not.toContain('Up to date');
    } finally {
      vi.unstubAllGlobals();
    }
    await act(async () => {
      for (const f of frames) f(performance.now());
      answer();
      holdRefresh = null;
    });
    await vi.waitFor(() => expect(document.body.textContent).toContain('Up to date'));
  });
});
