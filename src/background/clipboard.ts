/**
 * Copied codes are wiped from the clipboard after a delay, if still there.
 * The pending text lives in storage.session (memory only), the deadline in an
 * alarm, so a stopped service worker still clears it on time.
 */
export const CLIPBOARD_ALARM = 'revoke/clipboard-clear';
const PENDING_KEY = 'clipboardPending';

export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export function createClipboardWiper(deps: {
  session: SessionArea;
  alarms: { create(name: string, info: { when: number }): void | Promise<void> };
  now: () => number;
  clearIfHolds: (text: string) => Promise<string>;
}) {
  return {
    async schedule(text: string, seconds: number): Promise<void> {
      await deps.session.set({ [PENDING_KEY]: text });
      await deps.alarms.create(CLIPBOARD_ALARM, { when: deps.now() + seconds * 1000 });
    },
    async onAlarm(name: string): Promise<string | null> {
      if (name !== CLIPBOARD_ALARM) return null;
      const text = (await deps.session.get(PENDING_KEY))[PENDING_KEY];
      await deps.session.remove(PENDING_KEY);
      if (typeof text !== 'string' || !text) return null;
      return deps.clearIfHolds(text);
    },
  };
}
