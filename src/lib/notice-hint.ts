/**
 * Where a clicked watch notification points: the account and the session it told about, left in
 * storage.session (memory only, like the overview copy that holds the same ids) for the popup the
 * click opens. Firefox has no notification buttons, so a click is how the person gets to the
 * session. The popup takes it once; an old one (a popup that never opened) is dropped.
 */
export const NOTICE_HINT_KEY = 'watchNoticeHint';
/** Long enough for a popup or tab to open on a slow machine, short enough not to surprise a later opening. */
export const NOTICE_HINT_TTL_MS = 60_000;

export interface PointAt {
  accountId: string;
  /** Absent when the notification's alert is gone (answered, or the session ended): the account is shown. */
  sessionId?: string;
}

export interface HintArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export async function leaveHint(area: HintArea, at: PointAt, now: number): Promise<void> {
  await area.set({ [NOTICE_HINT_KEY]: { ...at, at: now } });
}

/** The hint, if a fresh one is there; read once (removed whatever it held). */
export async function takeHint(area: HintArea, now: number): Promise<PointAt | null> {
  const v = (await area.get(NOTICE_HINT_KEY))[NOTICE_HINT_KEY];
  if (v === undefined) return null;
  await area.remove(NOTICE_HINT_KEY);
  const h = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  if (typeof h.accountId !== 'string' || typeof h.at !== 'number' || now - h.at > NOTICE_HINT_TTL_MS || h.at > now + 5_000) return null;
  return typeof h.sessionId === 'string' ? { accountId: h.accountId, sessionId: h.sessionId } : { accountId: h.accountId };
}
