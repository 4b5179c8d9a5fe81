/**
 * The watch: what a scheduled audit remembers of each account, and how a fresh look at it is
 * compared with that memory. Pure: no clock, no storage, no browser (the caller passes them).
 *
 * What counts as a new sign-in (docs/design.md, "Watch"):
 *   - Only a session id not seen before can be a new sign-in. A known session that moves to
 *     another network is the same sign-in, not a new one.
 *   - A device is its kind, system and browser, without version numbers: browsers and systems
 *     update themselves, and "Chrome 126" becoming "Chrome 127" is not a new device.
 *   - A place is the location the service gives (city, country), else the IP's network (IPv4 /24,
 *     IPv6 /48): home routers and phones change address within their network all the time.
 *   - A new session is recognised when both its device and its place were seen before for this
 *     account (not necessarily together). What the service does not say is not held against a
 *     session; a new session with neither a device nor a place is unrecognised (nothing vouches).
 *   - The first look at an account learns everything listed: without a baseline every session
 *     would be "new". This browser's own session is always recognised, and teaches its device and place.
 *   - "That was me" (or "known" in the popup) teaches the session's device and place.
 */
import type { FailureKind, Session } from '../connectors/types';
import type { AccountResult } from './types';
import type { Said } from '../i18n/t';

/** Sessions, devices and places kept per account: far more than anyone has, small enough to store. */
export const MAX_REMEMBERED = 500;

/** Why the last audit could not look at the account; told once, shown until it works again. */
export interface WatchProblem {
  kind: FailureKind;
  message: string;
  /** When the audits started failing this way (unix ms). */
  since: number;
  /** The service hides the other sessions for now: its reason (the message is then empty). */
  hidden?: Said;
  /**
   * Signed out by the account's own rule (sign this browser out on start or after N hours): the
   * state the person asked for, so the audits that then find it signed out say nothing.
   */
  byRule?: boolean;
}

export interface WatchMemory {
  /** Sessions recognised (by the rules above, or by the person). */
  sessions: string[];
  /** Sessions told as new sign-ins and not recognised since: each sign-in is told once. */
  told: string[];
  devices: string[];
  places: string[];
  /** When the watch first looked at the account (unix ms); absent until a look listed sessions. */
  since?: number;
  problem?: WatchProblem;
  /** When the last audit looked (unix ms). */
  lastRunAt?: number;
}

export const EMPTY_MEMORY: WatchMemory = { sessions: [], told: [], devices: [], places: [] };

const stripVersion = (s: string | undefined) => (s ?? '').replace(/[\s/]+v?\d+(?:[._]\d+)*\s*$/i, '').trim().toLowerCase();

/** The session's device, without versions; '' when the service says nothing about it. */
export function deviceKey(s: Pick<Session, 'device' | 'os' | 'browser'>): string {
  const parts = [s.device, s.os, s.browser].map(stripVersion);
  return parts.some((p) => p !== '') ? parts.join('|') : '';
}

/** The eight 16-bit groups of an IPv6 address, or null. */
function ipv6Groups(ip: string): string[] | null {
  const [head, tail, ...more] = ip.toLowerCase().split('::');
  if (more.length) return null;
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  if (fill < 0) return null;
  const groups = [...left, ...Array<string>(fill).fill('0'), ...right];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => g.replace(/^0+(?=.)/, ''));
}

/** Where the session signed in from: the service's location, else the IP's network; '' when neither is given. */
export function placeKey(s: Pick<Session, 'ip' | 'location'>): string {
  const location = s.location?.trim().toLowerCase();
  if (location) return `at:${location}`;
  const ip = s.ip?.trim();
  if (!ip) return '';
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip);
  if (v4) return `net:${v4[1]}.${v4[2]}.${v4[3]}`;
  const v6 = ipv6Groups(ip);
  return v6 ? `net:${v6.slice(0, 3).join(':')}` : `ip:${ip.toLowerCase()}`;
}

/** What about a session the account's memory does not know (empty: recognised). */
export type Unknown = 'device' | 'place';

export function unknownParts(memory: WatchMemory, s: Session): Unknown[] {
  if (s.current || memory.sessions.includes(s.id)) return [];
  const device = deviceKey(s);
  const place = placeKey(s);
  // Nothing to vouch for it: an unknown session with no details is not waved through.
  if (device === '' && place === '') return ['device', 'place'];
  const out: Unknown[] = [];
  if (device !== '' && !memory.devices.includes(device)) out.push('device');
  if (place !== '' && !memory.places.includes(place)) out.push('place');
  return out;
}

/** Ids of the listed sessions the memory does not recognise (what the popup marks). */
export function unrecognisedIds(memory: WatchMemory | undefined, sessions: readonly Session[]): string[] {
  if (!memory?.since) return [];
  return sessions.filter((s) => unknownParts(memory, s).length > 0).map((s) => s.id);
}

/** Ids of the listed sessions the memory holds as the person's (learnt, or said "known"): no "Known" to offer. */
export function knownIds(memory: WatchMemory, sessions: readonly Session[]): string[] {
  return sessions.filter((s) => memory.sessions.includes(s.id)).map((s) => s.id);
}

const addTo = (list: string[], key: string) => (key === '' || list.includes(key) ? list : [...list, key].slice(-MAX_REMEMBERED));

/** The memory after the person said a session is theirs (or it is this browser's): its device and place are known. */
export function learn(memory: WatchMemory, s: Session): WatchMemory {
  return {
    ...memory,
    sessions: addTo(memory.sessions, s.id),
    told: memory.told.filter((id) => id !== s.id),
    devices: addTo(memory.devices, deviceKey(s)),
    places: addTo(memory.places, placeKey(s)),
  };
}

/** What an audit found for one account. */
export interface AccountDiff {
  memory: WatchMemory;
  /** Sessions never seen before, from a device or place the account has not used. */
  newSignIns: { session: Session; unknown: Unknown[] }[];
  /**
   * 'started': the audit could not look, and did look last time (or failed otherwise): tell once.
   * 'ongoing': it keeps failing the same way: shown, not told again. 'ended': it works again.
   */
  problem: 'started' | 'ongoing' | 'ended' | null;
}

/** Why an audit could not look at an account, from the look's result; undefined when it could. */
export interface AuditFailure {
  kind: FailureKind;
  message: string;
  said?: Said;
  /** The service hides the other sessions for now (better-auth past a day): its reason. */
  hidden?: Said;
}

export function auditFailure(result: AccountResult): AuditFailure | undefined {
  if (result.state === 'signed-out') return { kind: 'signed-out', message: '' };
  if (result.state === 'error') return { kind: result.kind, message: result.message, ...(result.said ? { said: result.said } : {}) };
  // No stranger can be seen where the others are hidden: told as a look that could not be made.
  if (result.hidden) return { kind: 'reauth', message: '', hidden: result.hidden };
  return undefined;
}

/** Compares a fresh look at an account with what the watch remembers of it. */
export function diffAccount(before: WatchMemory | undefined, result: AccountResult, now: number): AccountDiff {
  const memory: WatchMemory = { ...(before ?? EMPTY_MEMORY), lastRunAt: now };
  if (result.state !== 'ok' || result.hidden) {
    // Told once, kept while the same. Where the others are hidden, what is remembered of them
    // stays for when they show again.
    const { kind, message, hidden } = auditFailure(result)!;
    const same = before?.problem?.kind === kind && !before.problem.hidden === !hidden;
    return {
      memory: { ...memory, problem: same ? before!.problem! : { kind, message, since: now, ...(hidden ? { hidden } : {}) } },
      newSignIns: [],
      problem: same ? 'ongoing' : 'started',
    };
  }
  const problem = before?.problem ? 'ended' : null;
  delete memory.problem;
  // A service that lists no sessions (WordPress's others) has nothing to compare.
  if (result.sessions === null) return { memory, newSignIns: [], problem };
  const listed = result.sessions;
  if (!memory.since) {
    const learnt = listed.reduce(learn, { ...memory, since: now });
    return { memory: { ...learnt, sessions: listed.map((s) => s.id).slice(0, MAX_REMEMBERED), told: [] }, newSignIns: [], problem };
  }
  const newSignIns: AccountDiff['newSignIns'] = [];
  let next = memory;
  for (const s of listed) {
    if (next.sessions.includes(s.id) || next.told.includes(s.id)) continue;
    const unknown = unknownParts(next, s);
    if (s.current || unknown.length === 0) next = learn(next, s);
    else newSignIns.push({ session: s, unknown });
  }
  // Ids are kept only while listed (an ended session never comes back). A new sign-in is told
  // once, and stays unrecognised until the person says otherwise.
  const ids = new Set(listed.map((s) => s.id));
  const told = [...next.told, ...newSignIns.map((n) => n.session.id)].filter((id) => ids.has(id) && !next.sessions.includes(id));
  return {
    memory: { ...next, sessions: next.sessions.filter((id) => ids.has(id)), told: told.slice(-MAX_REMEMBERED) },
    newSignIns,
    problem,
  };
}
