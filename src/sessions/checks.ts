/**
 * Checks of what comes into the session engine: connectors' answers (pages and APIs that can
 * change or be hostile) and pages' requests (reasons, targets). Pure functions, no storage.
 */
import { ConnectorError, type Connector, type RevokeTarget, type Session, type SessionList, type WhoAmI } from '../connectors/types';
import { SessionsError, type AuditReason } from './types';
import { connectorError } from '../connectors/common';
import type { MessageKey, Said } from '../i18n/t';

// ---- Checking what connectors return -------------------------------------------------------
// Connectors parse pages and APIs that can change or be hostile; a malformed answer must become
// 'page-changed', never "no sessions" or "signed out".

const MAX_SESSIONS = 2000;
const MAX_ID_CHARS = 2000;
export const MAX_TEXT_CHARS = 1000;
const MAX_EXTRA_FIELDS = 50;
const TEXT_FIELDS = ['device', 'browser', 'os', 'ip', 'location'] as const;
const TIME_FIELDS = ['createdAt', 'lastActiveAt', 'expiresAt'] as const;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v);
/** The shape a connector returned is not what the engine can trust: said to the person, the detail kept for the details view. */
const pageChanged = (key: MessageKey, detail?: string) => connectorError('page-changed', { key }, detail);

/** A checked copy of a connector's session list (known fields of the right type only), or 'page-changed'. */
export function checkSessions(value: unknown): Session[] {
  if (!Array.isArray(value)) throw pageChanged('connErr_listShape', `Got ${describe(value)} instead of a list.`);
  if (value.length > MAX_SESSIONS) throw pageChanged('connErr_listTooLong', `${value.length} sessions.`);
  const ids = new Set<string>();
  return value.map((raw: unknown, i) => {
    if (!isObject(raw) || typeof raw.id !== 'string' || raw.id === '' || raw.id.length > MAX_ID_CHARS) {
      throw pageChanged('connErr_sessionNoId', `Session ${i + 1} of ${value.length}.`);
    }
    if (ids.has(raw.id)) throw pageChanged('connErr_sessionTwice', `Session ${i + 1} of ${value.length}.`);
    ids.add(raw.id);
    const session: Session = { id: raw.id, current: raw.current === true, extra: {} };
    for (const field of TEXT_FIELDS) {
      const text = raw[field];
      if (typeof text === 'string') session[field] = text.slice(0, MAX_TEXT_CHARS);
    }
    for (const field of TIME_FIELDS) {
      const time = raw[field];
      if (typeof time === 'number' && Number.isFinite(time)) session[field] = time;
    }
    if (isObject(raw.extra)) {
      session.extra = Object.fromEntries(
        Object.entries(raw.extra)
          .filter((e): e is [string, string] => typeof e[1] === 'string')
          .slice(0, MAX_EXTRA_FIELDS)
          .map(([k, v]) => [k.slice(0, 100), v.slice(0, MAX_TEXT_CHARS)]),
      );
    }
    return session;
  });
}

/**
 * A checked copy of what listSessions gave: a plain list, or a SessionList whose `unlisted` is a
 * count or 'some' and whose `hidden` is a message. Anything else is 'page-changed'.
 */
export function checkSessionList(value: unknown): SessionList {
  if (Array.isArray(value)) return { sessions: checkSessions(value) };
  if (!isObject(value)) return { sessions: checkSessions(value) };
  const list: SessionList = { sessions: checkSessions(value.sessions) };
  const { unlisted, hidden } = value;
  if (unlisted === 'some' || (typeof unlisted === 'number' && Number.isInteger(unlisted) && unlisted > 0 && unlisted <= MAX_SESSIONS)) list.unlisted = unlisted;
  else if (unlisted !== undefined && unlisted !== 0) throw pageChanged('connErr_unlistedShape', `Got ${describe(unlisted)}.`);
  if (hidden !== undefined) list.hidden = checkHidden(hidden);
  return list;
}

/**
 * A checked copy of Revoke's own words kept as data (a message key and its strings, at most the 9
 * substitutions getMessage takes), or null. Whether the key exists is the message lookup's business.
 */
export function saidFrom(value: unknown): Said | null {
  const subs = isObject(value) ? value.subs ?? [] : null;
  if (!isObject(value) || typeof value.key !== 'string' || !Array.isArray(subs) || subs.length > 9 || !subs.every((s) => typeof s === 'string' && s.length <= MAX_TEXT_CHARS)) return null;
  return { key: value.key as MessageKey, subs: [...subs] };
}

/** Why a list hides the others: a connector's own words, else 'page-changed'. */
function checkHidden(value: unknown): Said {
  const said = saidFrom(value);
  if (!said) throw pageChanged('connErr_hiddenShape', `Got hidden: ${describe(value)}.`);
  return said;
}

/** A checked copy of whoami's answer: null only for null (undefined or garbage is 'page-changed', not "signed out"). */
export function checkWhoami(value: unknown): WhoAmI | null {
  if (value === null) return null;
  if (!isObject(value) || typeof value.account !== 'string' || value.account.length > MAX_TEXT_CHARS) {
    throw pageChanged('connErr_whoamiShape', `Got ${describe(value)}.`);
  }
  const who: WhoAmI = { account: value.account };
  if (typeof value.sessionId === 'string' && value.sessionId !== '') who.sessionId = value.sessionId;
  return who;
}

/** Marks this browser's session from whoami when the connector marked none. */
export function markCurrent(sessions: Session[], who: WhoAmI): Session[] {
  if (sessions.some((s) => s.current) || who.sessionId === undefined) return sessions;
  return sessions.map((s) => (s.id === who.sessionId ? { ...s, current: true } : s));
}

export const canList = (c: Connector) => c.meta.can.list && typeof c.listSessions === 'function';
export const isSignedOutError = (e: unknown) => e instanceof ConnectorError && e.kind === 'signed-out';

// ---- Requests from pages ----------------------------------------------------------------

const REASON_KINDS: readonly unknown[] = ['unrecognised', 'lost-device', 'shared-computer', 'other'];
const MAX_REASON_CHARS = 1000;

/** A checked copy of a reason, or SessionsError 'invalid-input'. */
export function checkReason(reason: unknown): AuditReason {
  const bad = (): never => {
    // Every page sends a reason it made itself: only a bug meets this, so plain English for the log.
    throw new SessionsError('invalid-input', 'Say why (a reason is recorded with every sign-out).');
  };
  if (!isObject(reason)) return bad();
  if (reason.kind === 'rule') {
    if (typeof reason.rule !== 'string' || reason.rule === '' || reason.rule.length > MAX_REASON_CHARS) bad();
    return { kind: 'rule', rule: reason.rule as string };
  }
  if (!REASON_KINDS.includes(reason.kind)) bad();
  if (reason.text !== undefined && (typeof reason.text !== 'string' || reason.text.length > MAX_REASON_CHARS)) bad();
  const text = typeof reason.text === 'string' ? reason.text.trim() : '';
  // "Other" alone would tell the person nothing when they read the audit log later: the pages ask
  // for words first, so only a bug meets this, and plain English for the log.
  if (reason.kind === 'other' && text === '') {
    throw new SessionsError('invalid-input', 'A reason of kind "other" needs its text: say why (it is recorded with the sign-out).');
  }
  const checked = { kind: reason.kind } as AuditReason & { text?: string };
  if (text !== '') checked.text = text;
  return checked;
}

export function checkTarget(target: unknown): RevokeTarget {
  if (target === 'others' || target === 'all') return target;
  if (isObject(target) && typeof target.id === 'string' && target.id !== '') return { id: target.id };
  // Pages send only targets they were shown: only a bug meets this, so plain English for the log.
  throw new SessionsError('invalid-input', 'Say which sessions to end.');
}
