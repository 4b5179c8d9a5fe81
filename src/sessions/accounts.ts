/**
 * Linked accounts: which service (connector), where (origin, and the instance URL the person
 * gave for self-hosted services), what the person calls it, and per-account settings.
 * Checks everything on the way in; the origin decides which site's requests and data the
 * extension touches, so it is always derived here, never taken on trust.
 */
import { say, t, type MessageKey, type Said, type Sub } from '../i18n/t';
import { isPublicSuffix } from '../lib/public-suffix';
import type { ConnectorMeta } from '../connectors/types';
import { overviewWrite, readAccount, readAccounts, type SessionsDb } from './db';
import { SIGNS_IN_THROUGH, signsInThroughProblem } from './sign-in-through';
import { SessionsError, type LinkedAccount } from './types';
import { accountName, defaultLabel } from './account-name';

export interface NewAccount {
  /** Default: a new one. The link handler picks it first, to mark the link as under way before it is stored. */
  id?: string;
  connectorId: string;
  /** Required for instance-based connectors (meta.instanceUrl set); refused otherwise. */
  instanceUrl?: string;
  /** For hosted connectors: one of meta.origins (default: the first). Derived from instanceUrl otherwise. */
  origin?: string;
  /** Default: the service's name, with the host for instance-based ones. */
  label?: string;
  settings?: Record<string, string>;
}

export interface AccountPatch {
  label?: string;
  /** Replaces all settings. */
  settings?: Record<string, string>;
}

export interface AccountStoreDeps {
  /** Opens the database; pass one `sessionsConnection()` shared with the engine. */
  db: () => Promise<SessionsDb>;
  connectorById(id: string): { meta: ConnectorMeta } | undefined;
  now?: () => number;
  newId?: () => string;
}

export interface AccountStore {
  list(): Promise<LinkedAccount[]>;
  get(id: string): Promise<LinkedAccount | undefined>;
  /** SessionsError 'invalid-input' (with a message for the person) or 'duplicate'. */
  add(input: NewAccount): Promise<LinkedAccount>;
  /** SessionsError 'not-found' or 'invalid-input'. */
  update(id: string, patch: AccountPatch): Promise<LinkedAccount>;
  /** Unlinks and drops the cached result and the watch's record; the audit trail and journal keep their copies. Returns what was removed. */
  remove(id: string): Promise<LinkedAccount>;
  /**
   * Marks accounts linked before `labelIsDefault` existed whose label is still the one Revoke gave,
   * so they too are named in the reader's language. Returns how many it marked.
   */
  markDefaultLabels(): Promise<number>;
}

const MAX_URL_CHARS = 2000;
const MAX_LABEL_CHARS = 200;
const MAX_SETTINGS = 50;
const MAX_SETTING_CHARS = 2000;
const SETTING_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const CONNECTOR_ID = /^[a-z0-9-]{1,64}$/;
const ACCOUNT_ID = /^[A-Za-z0-9-]{1,64}$/;

/** A refusal the person reads (the link form's address and name): said in their language. */
const refuse = (key: MessageKey, ...subs: Sub[]): never => {
  throw new SessionsError('invalid-input', say({ key, subs }), { key, subs });
};

/** A refusal only a bug or a hostile page meets (the UI never sends these): plain English for the log. */
const invalid = (message: string): never => {
  throw new SessionsError('invalid-input', message);
};

/** This computer: plain http is acceptable only here (test servers, self-hosted on localhost). */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(hostname) ||
    hostname === '[::1]'
  );
}

/**
 * The scheme a typed address without one means, as the browser's address bar reads it: a
 * loopback host ("127.0.0.1:8788", "localhost:3000": what Chromium shows for an http page there)
 * is http, any other host https (the only scheme Revoke links off loopback).
 */
function withScheme(text: string): string {
  if (text.includes('://')) return text;
  try {
    if (isLoopbackHost(new URL(`http://${text}`).hostname)) return `http://${text}`;
  } catch {
    // Not an address either way: the https parse below says so.
  }
  return `https://${text}`;
}

/**
 * The base URL of a self-hosted service as Revoke stores it: https (or http on loopback), no
 * user name or password, no query or fragment, no trailing slash; the origin is derived from it.
 * A bare host gets the scheme the address bar would (withScheme). Throws SessionsError 'invalid-input'.
 */
export function normaliseInstanceUrl(input: string): { instanceUrl: string; origin: string } {
  if (typeof input !== 'string') return refuse('linkInput_empty');
  const text = input.trim();
  if (text === '') return refuse('linkInput_empty');
  if (text.length > MAX_URL_CHARS) return refuse('linkInput_tooLong');
  let url: URL;
  try {
    url = new URL(withScheme(text));
  } catch {
    return refuse('linkInput_notAddress');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return refuse('linkInput_https');
  }
  checkHost(url.hostname);
  if (url.username !== '' || url.password !== '') return refuse('linkInput_credentials');
  // The base URL is all Revoke needs; a query or fragment would be guessed at, so it is refused.
  if (url.search !== '' || url.hash !== '') return refuse('linkInput_query');
  return { instanceUrl: url.origin + url.pathname.replace(/\/+$/, ''), origin: url.origin };
}

const DNS_LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;

/**
 * A host name as a URL parser leaves it that names a host: an IP literal or DNS labels. Some
 * parsers percent-encode what no host may hold (Chromium turns "not a url" into "not%20a%20url").
 */
export function isHostName(hostname: string): boolean {
  if (IPV4.test(hostname) || IPV6.test(hostname)) return true;
  return hostname.length <= 253 && hostname.split('.').every((label) => DNS_LABEL.test(label));
}

/**
 * A host Revoke may treat as one site: an IP literal, or a DNS name (ASCII after the URL parser's
 * IDNA step) that is not itself a public suffix. A suffix ("com", "co.uk", "github.io") is shared
 * by unrelated sites: its cookies and permission would reach all of them.
 */
function checkHost(hostname: string): void {
  if (IPV4.test(hostname) || IPV6.test(hostname)) return;
  const labels = hostname.split('.');
  if (hostname.length > 253 || labels.some((label) => label === '')) refuse('linkInput_emptyPart', hostname.slice(0, 64));
  // Some URL parsers percent-encode what no host may hold (Chromium turns "not a url" into "not%20a%20url").
  if (!labels.every((label) => DNS_LABEL.test(label))) refuse('linkInput_badHost');
  if (isPublicSuffix(hostname)) {
    refuse('linkInput_publicSuffix', hostname);
  }
}

/** An origin as `URL.origin` writes it, or invalid-input. */
function normaliseOrigin(input: string): string {
  const { instanceUrl, origin } = normaliseInstanceUrl(input);
  if (instanceUrl !== origin) invalid('An origin has no path.');
  return origin;
}

function checkLabel(label: unknown): string {
  if (typeof label !== 'string') return invalid('The name must be text.');
  const trimmed = label.trim();
  if (trimmed === '') return refuse('linkInput_noName');
  if (trimmed.length > MAX_LABEL_CHARS) return refuse('linkInput_nameLong');
  return trimmed;
}

function checkSettings(settings: unknown): Record<string, string> {
  if (settings === undefined) return {};
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return invalid('Settings must be a set of named values.');
  const entries = Object.entries(settings);
  if (entries.length > MAX_SETTINGS) invalid('Too many settings.');
  for (const [key, value] of entries) {
    if (!SETTING_KEY.test(key)) invalid(`Invalid setting name: ${key.slice(0, 64)}.`);
    if (typeof value !== 'string') invalid(`The setting ${key} must be text.`);
    else if (value.length > MAX_SETTING_CHARS) invalid(`The setting ${key} is too long.`);
  }
  // fromEntries defines own properties: a "__proto__" key stays a plain key.
  return Object.fromEntries(entries) as Record<string, string>;
}

/** What makes two links the same: one connector, one instance (or one hosted origin). */
const linkKey = (a: Pick<LinkedAccount, 'connectorId' | 'instanceUrl' | 'origin'>) =>
  JSON.stringify([a.connectorId, a.instanceUrl ?? a.origin]);

export function createAccountStore(deps: AccountStoreDeps): AccountStore {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => globalThis.crypto.randomUUID());

  function build(input: NewAccount): LinkedAccount {
    if (typeof input !== 'object' || input === null) return invalid('Expected the account to link.');
    const { connectorId } = input;
    if (typeof connectorId !== 'string' || !CONNECTOR_ID.test(connectorId)) return invalid('Unknown service.');
    const meta = deps.connectorById(connectorId)?.meta;
    if (!meta) return invalid(`Revoke does not know the service "${connectorId}".`);
    let origin: string;
    let instanceUrl: string | undefined;
    if (meta.instanceUrl) {
      if (input.instanceUrl === undefined) return refuse('linkInput_needAddress', meta.name);
      ({ instanceUrl, origin } = normaliseInstanceUrl(input.instanceUrl));
      if (input.origin !== undefined && normaliseOrigin(input.origin) !== origin) invalid('The origin does not match the address.');
    } else {
      if (input.instanceUrl !== undefined) invalid(`${meta.name} is at a fixed address; no address is needed.`);
      const allowed = meta.origins.map((o) => new URL(o).origin);
      origin = input.origin === undefined ? allowed[0] ?? invalid(`${meta.name} has no known address.`) : normaliseOrigin(input.origin);
      if (!allowed.includes(origin)) invalid(`${meta.name} is not at ${origin}.`);
    }
    const unnamed = input.label === undefined || (typeof input.label === 'string' && input.label.trim() === '');
    const label = unnamed ? givenLabel(meta, origin) : checkLabel(input.label);
    if (input.id !== undefined && (typeof input.id !== 'string' || !ACCOUNT_ID.test(input.id))) invalid('Bad account id.');
    const account: LinkedAccount = { id: input.id ?? newId(), connectorId, origin, label, settings: checkSettings(input.settings), linkedAt: now() };
    if (unnamed) account.labelIsDefault = true;
    if (instanceUrl !== undefined) account.instanceUrl = instanceUrl;
    return account;
  }

  /** The label an account gets when the person gives none (stored in English; shown through accountName). */
  const givenLabel = (meta: ConnectorMeta, origin: string) => defaultLabel(meta.name, meta.instanceUrl ? new URL(origin).host : null);

  return {
    async markDefaultLabels() {
      const tx = overviewWrite(await deps.db(), 'accounts');
      const unmarked = ((await tx.store.getAll()) as LinkedAccount[]).filter((a) => {
        const meta = deps.connectorById(a.connectorId)?.meta;
        return !a.labelIsDefault && meta !== undefined && a.label === givenLabel(meta, a.origin);
      });
      await Promise.all([...unmarked.map((a) => tx.store.put({ ...a, labelIsDefault: true })), tx.done]);
      return unmarked.length;
    },

    async list() {
      return readAccounts(await deps.db());
    },

    async get(id) {
      return readAccount(await deps.db(), id);
    },

    async add(input) {
      const account = build(input);
      const tx = overviewWrite(await deps.db(), 'accounts');
      // Checked inside the writing transaction, so two adds at once cannot both pass.
      const existing = (await tx.store.getAll()) as LinkedAccount[];
      const twin = existing.find((a) => linkKey(a) === linkKey(account));
      const through = signsInThroughProblem(account.connectorId, account.settings[SIGNS_IN_THROUGH], existing);
      if (through) {
        tx.abort();
        await tx.done.catch(() => undefined);
        invalid(through);
      }
      if (twin) {
        tx.abort();
        await tx.done.catch(() => undefined);
        // Named as everywhere else: who is signed in there, if a check has told, then the site.
        const said: Said = { key: 'linkInput_duplicate', subs: [accountName(twin, undefined, (who, host) => t('account_onHost', who, host))] };
        throw new SessionsError('duplicate', say(said), said);
      }
      await Promise.all([tx.store.add(account), tx.done]);
      return account;
    },

    async update(id, patch) {
      if (typeof patch !== 'object' || patch === null) invalid('Expected the changes.');
      const label = patch.label === undefined ? undefined : checkLabel(patch.label);
      const settings = patch.settings === undefined ? undefined : checkSettings(patch.settings);
      const tx = overviewWrite(await deps.db(), 'accounts');
      const current = await tx.store.get(id);
      if (current === undefined) {
        await tx.done;
        throw notFound();
      }
      const updated: LinkedAccount = { ...current, ...(label !== undefined && { label }), ...(settings !== undefined && { settings }) };
      if (label !== undefined) delete updated.labelIsDefault; // the person named it
      await Promise.all([tx.store.put(updated), tx.done]);
      return updated;
    },

    async remove(id) {
      const db = await deps.db();
      const tx = overviewWrite(db, ['accounts', 'cache', 'watch']);
      const current = await tx.objectStore('accounts').get(id);
      if (current === undefined) {
        await tx.done;
        throw notFound();
      }
      // What the watch learnt of the account and its rules go with it.
      await Promise.all([tx.objectStore('accounts').delete(id), tx.objectStore('cache').delete(id), tx.objectStore('watch').delete(id), tx.done]);
      return current;
    },
  };
}

const notFound = () => new SessionsError('not-found', say({ key: 'account_gone' }), { key: 'account_gone' });
