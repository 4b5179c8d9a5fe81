/**
 * The one message protocol between extension pages and the background.
 * Every request names its type; `Api` maps each type to its request and
 * response, so both ends are checked by the compiler.
 */
import type { DetectedSite } from '../connectors/detect';
import type { Capabilities, ConnectorMeta, Elsewhere, RevokeTarget, Session } from '../connectors/types';
import type { AccountResult, AuditReason, AuditRecord, JobSummary, JobsView, LinkedAccount, PanicReport, RevokeOutcome } from '../sessions/types';
import type { SiteCount } from '../sessions/panic-plan';
import type { EntryInput, OtpEntry, PasswordChange } from '../vault/types';
import type { ClockSkew } from './clock-skew';
import { isHtmlQuery, type HtmlQuery } from './html-select';
import type { Said } from '../i18n/t';
import { DEFAULT_AUDIT_RETENTION_DAYS, type AuditRetentionDays } from '../sessions/audit-retention';
import type { AccountRules } from '../sessions/rules';
import type { AuditFailure, WatchProblem } from '../sessions/watch';

export type VaultState = 'uninitialized' | 'locked' | 'unlocked';

export interface Settings {
  /** Lock after this many minutes without using Revoke. */
  autoLockMinutes: number;
  /** Lock at once when the operating system locks the screen. */
  lockOnSystemLock: boolean;
  /** Seconds after which a copied code is wiped from the clipboard (if still there). */
  clipboardClearSeconds: number;
  /** Days the audit log keeps a record (one of AUDIT_RETENTION_DAYS; 0: forever). */
  auditRetentionDays: AuditRetentionDays;
}

export const DEFAULT_SETTINGS: Settings = {
  autoLockMinutes: 15,
  lockOnSystemLock: true,
  clipboardClearSeconds: 30,
  auditRetentionDays: DEFAULT_AUDIT_RETENTION_DAYS,
};

/** Raw values from the manual entry form; validated in the background. */
export type EntryForm = Partial<Record<keyof EntryInput, string | number>>;

export interface Snapshot {
  state: VaultState;
  /** Present only when unlocked. */
  entries?: OtpEntry[];
  /** Ids of records that failed to decrypt (tampered or damaged). */
  corrupt?: string[];
  settings: Settings;
  /** The last clock comparison with a linked site, if any (TOTP codes depend on the clock). */
  clockSkew?: ClockSkew;
}

/**
 * What a page keeps of its snapshot once the vault locks: the state and settings, nothing
 * decrypted. A page still loading shows the lock screen too (a vault that locks exists).
 */
export function afterLock(s: Snapshot | null): Snapshot {
  if (!s) return { state: 'locked', settings: DEFAULT_SETTINGS };
  return s.state === 'unlocked' ? { state: 'locked', settings: s.settings } : s;
}

/** Why the person ends a session (kept in the audit log); rules give their own. */
export type Reason = Exclude<AuditReason, { kind: 'rule' }>;

/** What the options page needs to offer a connector for linking: the plain data of its meta. */
export type ConnectorInfo = Pick<ConnectorMeta, 'id' | 'name' | 'origins' | 'instanceUrl' | 'signIn' | 'can'>;

/** A linked account with its last known result, for the popup and the options page. */
export interface AccountView {
  account: LinkedAccount;
  /** signsIn: Revoke signs in to this account itself (Matrix): "signed out" offers to sign in again. */
  connector: { id: string; name: string; can: Capabilities; manageUrl: string; signsIn?: true; elsewhere?: Elsewhere };
  result?: AccountResult;
  /** When `result` was found (unix ms). */
  fetchedAt?: number;
  /** When the last look failed: the sessions the last successful one found, and when. */
  lastKnown?: { sessions: Session[]; fetchedAt: number; hidden?: Said };
  /** Ids of the sessions the person was last shown (absent before the first time): what "new" is measured against. */
  seen?: string[];
  /** Ids of listed sessions from a device or place the watch does not recognise for this account (sessions/watch.ts). */
  unrecognised?: string[];
  /** Ids of listed sessions the watch remembers as the person's: the popup offers "Known" on the others. Absent before the watch first looked: none offered. */
  known?: string[];
}

/** The watch's schedule, and per linked account its rules and why the last audit could not look (if so). */
export interface WatchState {
  /** Hours between audits; 0: off. */
  everyHours: number;
  accounts: { accountId: string; rules: AccountRules; lastRunAt?: number; problem?: WatchProblem }[];
}

/** What "Audit now" found for one account (counts only: no session ids leave the worker). */
export interface AuditedAccount {
  accountId: string;
  /** New sign-ins from an unrecognised device or place (each also told as a notification). */
  newSignIns: number;
  /** Actions its rules took, whatever their outcome (each told as a notification). */
  ruleActions: number;
  /** Why the audit could not look at the account; absent when it did. */
  failure?: AuditFailure;
}

export type EverywhereSummary = JobSummary;

export interface ImportItem {
  input: EntryInput;
  pinned?: boolean;
}

/** Panic as the options page and the popup see it. */
export interface PanicState {
  enabled: boolean;
  /** Sites panic leaves alone. */
  keep: string[];
  /** Whether the browser grants the all-sites permission now. */
  permission: boolean;
  /** The sites this browser holds cookies for, with counts; null without the permission (nothing to see). */
  sites: SiteCount[] | null;
}

export interface Api {
  'vault/snapshot': { req: null; res: Snapshot };
  /** The popup showed what it read itself (src/popup/local-snapshot.ts): counts as use, like any message. */
  'vault/opened': { req: null; res: null };
  'vault/setup': { req: { password: string }; res: Snapshot };
  'vault/unlock': { req: { password: string }; res: Snapshot };
  'vault/lock': { req: null; res: null };
  /** `newDataKey`: also re-encrypt every entry under a new key (see Vault.changePassword). */
  'vault/change-password': { req: { oldPassword: string; newPassword: string; newDataKey?: boolean }; res: PasswordChange };
  'entries/add-uri': { req: { uri: string }; res: { entry: OtpEntry; warnings: string[] } };
  'entries/add-form': { req: { form: EntryForm }; res: { entry: OtpEntry; warnings: string[] } };
  /** Without `form.secret` the stored secret is kept: the edit form sends one only once revealed. */
  'entries/update': { req: { id: string; form: EntryForm; pinned?: boolean }; res: OtpEntry };
  'entries/pin': { req: { id: string; pinned: boolean }; res: OtpEntry };
  'entries/remove': { req: { id: string }; res: OtpEntry };
  'entries/restore': { req: { entry: OtpEntry }; res: null };
  /** All or none; the answer is what `entries/restore-many` needs to undo it. */
  'entries/remove-many': { req: { ids: string[] }; res: OtpEntry[] };
  'entries/restore-many': { req: { entries: OtpEntry[] }; res: null };
  'entries/move': { req: { id: string; toIndex: number }; res: null };
  'entries/next-hotp': { req: { id: string }; res: OtpEntry };
  'clipboard/copied': { req: { text: string }; res: null };
  'settings/update': { req: Partial<Settings>; res: Settings };
  'entries/import': { req: { items: ImportItem[] }; res: { added: number } };
  'accounts/connectors': { req: null; res: ConnectorInfo[] };
  /** Saved only when the first check says signed in or out; `force` saves one whose check failed for a passing reason ('unverified'). */
  /**
   * awaitGrant: sent together with the permission prompt (the popup may close while it shows), so
   * the link waits for the grant instead of failing at once.
   * `password` (services Revoke signs in to, with `settings.user`): used once to sign in, never stored.
   */
  'accounts/link': { req: { connectorId: string; url: string; settings: Record<string, string>; force?: boolean; awaitGrant?: boolean; password?: string }; res: { account: LinkedAccount; result: AccountResult } };
  /** Signs Revoke in again where its own sign-in ended (Matrix); the password is used once. */
  'accounts/sign-in': { req: { accountId: string; password: string }; res: AccountView[] };
  'accounts/unlink': { req: { accountId: string }; res: null };
  /** The service the current tab's site is, when a connector recognises it and no account there is linked yet. */
  'accounts/detect': { req: null; res: DetectedSite | null };
  'sessions/overview': { req: null; res: AccountView[] };
  'sessions/refresh': { req: { accountIds?: string[] } | null; res: AccountView[] };
  /** The popup showed these sessions of the account: next time, only others count as new. */
  'sessions/seen': { req: { accountId: string; ids: string[] }; res: null };
  /** `password`: where ending a session needs it (can.passwordToEnd), for this request only. */
  'sessions/revoke': { req: { accountId: string; target: RevokeTarget; reason: Reason; password?: string }; res: RevokeOutcome };
  'sessions/sign-out-everywhere': { req: { reason: Reason }; res: EverywhereSummary };
  /** The job still running (with each account's progress) and the last finished job's summary. */
  'sessions/jobs': { req: null; res: JobsView };
  /** Newest first; `before` pages on from the last record of the previous page (or a time). */
  'audit/list': { req: { limit: number; before?: number | { at: number; id: string } }; res: AuditRecord[] };
  /** The person says a listed session is theirs: its device and place count as recognised from now on. */
  'watch/known': { req: { accountId: string; sessionId: string }; res: null };
  'watch/state': { req: null; res: WatchState };
  'watch/schedule': { req: { everyHours: number }; res: WatchState };
  'watch/rules': { req: { accountId: string; rules: AccountRules }; res: WatchState };
  /** Runs an audit now (the options page's button), as the schedule would: the state after it, and what it found per account. */
  'watch/run': { req: null; res: { state: WatchState; audited: AuditedAccount[] } };
  'panic/state': { req: null; res: PanicState };
  /** Turning on is sent after the page's permission request was granted; the background checks the grant. */
  'panic/update': { req: { enabled?: boolean; keep?: string[] }; res: PanicState };
  'panic/run': { req: { reason: Reason }; res: PanicReport };
}

export type MessageType = keyof Api;
export type Request<K extends MessageType = MessageType> = { type: K; body: Api[K]['req'] };

/** Errors cross the message boundary as data: exceptions would lose their code. */
export interface ErrorBody {
  code: ErrorCode;
  /** For logs and tests; pages show `said` when there is one. */
  message: string;
  /** What to tell the person, as a message key and its substitutions (pages put it into words). */
  said?: Said;
}
export type ErrorCode =
  | 'wrong-password'
  | 'weak-password'
  | 'locked'
  | 'not-initialized'
  | 'already-initialized'
  | 'not-found'
  | 'duplicate'
  /** Linking: the site could not be checked now (offline, timeout, server error); it may be linked anyway. */
  | 'unverified'
  | 'corrupt'
  | 'invalid-input'
  | 'forbidden'
  | 'internal'
  /** Another change came first; nothing was changed, and trying again works (the vault's re-encryption). */
  | 'conflict'
  /** Made by the client, never sent: the call was cut because the background stopped or restarted (see client.ts). */
  | 'restarted';

export type Reply<K extends MessageType = MessageType> =
  | {
      ok: true;
      value: Api[K]['res'];
      /**
       * Set when the vault is locked once the request was answered. A page that missed the
       * `vault/locked` broadcast (asleep, frozen) learns it from its next call, whatever it asked.
       */
      locked?: true;
    }
  | { ok: false; error: ErrorBody };

/** An error that carries a protocol code; thrown by handlers and by the client. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly said?: Said,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

// A Record over MessageType makes the compiler insist that every type is listed.
const KNOWN_TYPES: Record<MessageType, true> = {
  'vault/snapshot': true, 'vault/opened': true, 'vault/setup': true, 'vault/unlock': true, 'vault/lock': true,
  'vault/change-password': true, 'entries/add-uri': true, 'entries/add-form': true,
  'entries/update': true, 'entries/pin': true, 'entries/remove': true, 'entries/restore': true,
  'entries/remove-many': true, 'entries/restore-many': true, 'entries/move': true, 'entries/next-hotp': true, 'clipboard/copied': true, 'settings/update': true,
  'entries/import': true, 'accounts/connectors': true, 'accounts/link': true, 'accounts/sign-in': true, 'accounts/unlink': true, 'accounts/detect': true,
  'sessions/overview': true, 'sessions/refresh': true, 'sessions/seen': true, 'sessions/revoke': true,
  'sessions/sign-out-everywhere': true, 'sessions/jobs': true, 'audit/list': true,
  'watch/known': true, 'watch/state': true, 'watch/schedule': true, 'watch/rules': true, 'watch/run': true,
  'panic/state': true, 'panic/update': true, 'panic/run': true,
};

export function isRequest(value: unknown): value is Request {
  return (
    typeof value === 'object' && value !== null &&
    typeof (value as Request).type === 'string' &&
    Object.hasOwn(KNOWN_TYPES, (value as Request).type)
  );
}

/**
 * What the background tells every open page without being asked (`runtime.sendMessage` from the
 * worker). Pages never answer these; the background ignores them (they are not `Request`s).
 */
export type PageEvent =
  /** The vault was locked (lock button, auto-lock, screen lock): drop everything decrypted. */
  | { event: 'vault/locked' };

const PAGE_EVENTS: Record<PageEvent['event'], true> = { 'vault/locked': true };

export function isPageEvent(value: unknown): value is PageEvent {
  const v = value as PageEvent | null;
  return typeof v === 'object' && v !== null && typeof v.event === 'string' && Object.hasOwn(PAGE_EVENTS, v.event);
}

/** The background's requests to Chrome's offscreen document (the DOM its worker lacks). */
export type OffscreenRequest =
  | { target: 'offscreen'; type: 'clipboard/clear-if-holds'; text: string }
  | { target: 'offscreen'; type: 'html/select'; html: string; query: HtmlQuery };

/** What the offscreen document answers to each request type. */
export type OffscreenReply<T extends OffscreenRequest['type']> = {
  'clipboard/clear-if-holds': 'cleared' | 'changed' | 'unreadable';
  'html/select': { ok: true; values: Record<string, string[]> } | { ok: false; error: string };
}[T];

export function isOffscreenRequest(value: unknown): value is OffscreenRequest {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null || v.target !== 'offscreen') return false;
  if (v.type === 'clipboard/clear-if-holds') return typeof v.text === 'string';
  if (v.type === 'html/select') return typeof v.html === 'string' && isHtmlQuery(v.query);
  return false;
}
