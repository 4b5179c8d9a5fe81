/**
 * The contract between Revoke's session engine and its per-service connectors.
 * A connector is domain code: it never touches browser globals. Everything it
 * needs (fetch, HTML parsing, this browser's cookies, the clock) comes in `ctx`,
 * so one harness can run every connector's cases in Node (test/connectors/cases/).
 */
import type { Said } from '../i18n/t';
import type { HtmlQuery, HtmlValues } from '../lib/html-select';
import type { LivePage } from '../lib/live-controls';

export type { HtmlQuery, HtmlValues } from '../lib/html-select';

/** One signed-in session of an account, as the service reports it. */
export interface Session {
  /** The service's id for the session (opaque to Revoke). */
  id: string;
  /** True for the session of this browser. */
  current: boolean;
  device?: string;
  browser?: string;
  os?: string;
  ip?: string;
  location?: string;
  /** Unix ms. */
  createdAt?: number;
  lastActiveAt?: number;
  expiresAt?: number;
  /** Everything else the service gave, as label -> text, shown in a details view. Untrusted text. */
  extra: Record<string, string>;
}

/**
 * What `listSessions` gives when the service says more than its list shows: WordPress's profile
 * page says that other sessions exist (not how many, nor where) and lists none of them.
 */
export interface SessionList {
  sessions: Session[];
  /** Other sessions the service says exist without listing them: how many when it says, else 'some'. Absent: none. */
  unlisted?: number | 'some';
  /**
   * The service shows its other sessions only under a condition not met now (better-auth: a
   * sign-in less than a day old), so whether there are any is unknown; why, for the person.
   */
  hidden?: Said;
}

/** A connector whose list is all there is (its type says so, for callers that use the list directly). */
export type PlainListConnector = Omit<Connector, 'listSessions'> & { listSessions(ctx: ConnectorContext): Promise<Session[]> };

/** Either answer of listSessions as a SessionList. */
export function asSessionList(listed: Session[] | SessionList): SessionList {
  return Array.isArray(listed) ? { sessions: listed } : listed;
}

export interface Capabilities {
  list: boolean;
  revokeOne: boolean;
  revokeOthers: boolean;
  revokeAll: boolean;
  /** Can clear this browser's login state (cookies + site data) for the account's origins. */
  localSignOut: boolean;
  /**
   * The service's session list offers no way to end this browser's own session (Mastodon, GitLab):
   * ending it is the site's own sign-out, and the popup says so instead of offering "End".
   */
  currentBySignOut?: boolean;
  /**
   * Ending another session needs the account's password, typed for that one request (Matrix's
   * user-interactive auth): the popup asks for it and passes it in `ctx.password`.
   */
  passwordToEnd?: boolean;
  /**
   * The service says when this browser's session began (`createdAt` on the current session): what
   * the rule "sign this browser out when its session is older than N hours" measures. Without it
   * the rule is not offered (docs/design.md, "The watch").
   */
  sessionStart?: boolean;
  /**
   * The list is this browser's session alone (Any site, OpenID Connect): there is no other session
   * to watch for or end, so the rules about other sessions are not offered (docs/design.md, "The watch").
   */
  onlyThisBrowser?: boolean;
}

export interface ConnectorMeta {
  /** Stable, lower-case, [a-z0-9-]. Stored with linked accounts: never rename. */
  id: string;
  name: string;
  /** Fixed origins of a hosted service ("https://github.com"); empty when the user gives an instance URL. */
  origins: string[];
  /** Set when the user must give the instance (base) URL; how to ask for it. */
  instanceUrl?: { label: string; placeholder: string; help: string };
  /**
   * Set when Revoke signs in to the service as its own device (a bearer token, not this browser's
   * cookie): linking asks for the account and its password, which `signIn` uses once.
   */
  signIn?: { userLabel: string; userPlaceholder: string; help: string };
  /** The service's own page for managing sessions, for the person to check by hand. */
  manageUrl(account: LinkedAccountRef): string;
  can: Capabilities;
  /**
   * Set for services that let no app list or end the account's other devices (Google, Microsoft):
   * the service's own pages where the person sees them, and where only an admin can end them all,
   * the route an admin takes (said to the person, never taken by Revoke).
   */
  elsewhere?: Elsewhere;
}

export interface Elsewhere {
  /** Who runs those pages, by its name (the same in every language): "Google", "Microsoft". */
  provider: string;
  /** The service's own pages, first the one `manageUrl` gives. */
  pages: { kind: 'activity' | 'devices' | 'security'; url: string }[];
  /** 'entra': a Microsoft Entra ID admin (or Graph `POST /users/{id}/revokeSignInSessions`) ends every session. */
  admin?: 'entra';
}

/** What a connector may know of the linked account. */
export interface LinkedAccountRef {
  id: string;
  connectorId: string;
  /** The origin the host permission was granted for ("https://auth.example.com"). */
  origin: string;
  /** For instance-based connectors, the URL the user gave (normalised, no trailing slash). */
  instanceUrl?: string;
  /** Per-account settings a connector declares (e.g. a logout URL for the generic connector). */
  settings: Record<string, string>;
}

/** Reasons a connector call can fail; the engine reports them to the person as they are. */
export type FailureKind =
  | 'signed-out' // the account is not signed in here (no valid session cookie)
  | 'offline' // network error, connection refused, DNS
  | 'timeout'
  | 'permission' // the host permission is missing
  | 'page-changed' // the response does not look like the service's API/page any more
  | 'server' // 5xx, or an error the service reported
  | 'forbidden' // the service refused (403): origin check, CSRF, missing rights
  | 'reauth' // the service wants a fresh sign-in first (e.g. better-auth's fresh-session rule)
  | 'unsupported'; // the connector cannot do that

export class ConnectorError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** What was seen, for the details view (status, a short excerpt); never secrets. */
    readonly detail?: string,
    /** What to tell the person, as a message key: the views say this rather than `message` (see common.ts connectorError). */
    readonly said?: Said,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  /** A JSON body (sets content-type) or a form body. */
  json?: unknown;
  form?: Record<string, string>;
  /** Per-call timeout; the context's default applies otherwise. */
  timeoutMs?: number;
  /**
   * Don't follow redirects (a redirect to a login page is how many services say "signed out"): the
   * response is the redirect itself (status 0 in a browser, the 3xx in Node). Unsafe methods never
   * follow: without 'manual', a redirect answering one is ConnectorError 'page-changed'.
   */
  redirect?: 'follow' | 'manual';
}

export interface HttpResponse {
  status: number;
  url: string;
  headers: { get(name: string): string | null };
  /** Reads at most the context's size limit; larger bodies throw ConnectorError('page-changed'). */
  text(): Promise<string>;
  /** Parses JSON; invalid JSON throws ConnectorError('page-changed'). */
  json(): Promise<unknown>;
  redirected: boolean;
}

/**
 * Domain cookies of a parent domain that a clear removed (Domain=example.com, seen from
 * app.example.com): every site under `domain` received them too, so it may be signed out as well.
 */
export interface SharedCookies {
  /** The parent domain, without a leading dot. */
  domain: string;
  names: string[];
}

/** What a clear removed beyond the origin's own cookies and data. */
export interface ClearReport {
  shared: SharedCookies[];
}

/**
 * This browser's own login state for the account's origins (cookies API + browsingData). The
 * origin's cookies are those its pages would send (src/lib/cookie-scope.ts): host-only cookies of
 * its host and domain cookies covering it, never a sibling's or a child's.
 */
export interface LocalState {
  /** Names of the cookies this browser holds for the origin. */
  cookieNames(origin: string): Promise<string[]>;
  /**
   * The value of a cookie the origin's own script can read (not HttpOnly), for the double-submit
   * CSRF token a site's pages copy into a header (authentik's authentik_csrf). Null when there is
   * none, or only an HttpOnly one: a session cookie's value never reaches a connector.
   */
  scriptCookie?(origin: string, name: string): Promise<string | null>;
  /** Removes the origin's cookies and its site data (storage, caches, service workers); says which shared cookies went. */
  clear(origin: string): Promise<ClearReport>;
  /**
   * Keeps the origin's cookies as they are now, values included, in memory, for one check after a
   * sign-out. The handle shows only names; the values stay inside this LocalState.
   */
  keepLogin?(origin: string): Promise<KeptLogin>;
  /**
   * Puts a kept login back in place of the origin's cookies, runs `task` (one request to the
   * origin, or one load of its page in a background tab), then removes the origin's cookies again,
   * whatever the task did.
   */
  withKeptLogin?<T>(origin: string, kept: KeptLogin, task: () => Promise<T>): Promise<T>;
}

/** A login kept by LocalState.keepLogin: its cookie names; the values never leave the LocalState. */
export interface KeptLogin {
  readonly names: readonly string[];
}

/**
 * What a connector saw itself after signing this browser out, where who-am-I cannot tell (for "Any
 * site" who-am-I only sees cookies, which the sign-out removes either way).
 */
export interface SignOutProof {
  /** true: the site refused the old login after the sign-out; false: it still accepted it; null: not checked. */
  oldLoginRefused: boolean | null;
  /** What was done and seen, for the person. Never a token. */
  seen: string;
  /** Per-account settings to remember for next time (what worked: never a token). */
  learned?: Record<string, string>;
}

/**
 * The access token of Revoke's own sign-in to an account (connectors with `meta.signIn`). Held by
 * the background only, in memory (docs/design.md, "Accounts Revoke signs in to"); never in a
 * result, an error, a message to a page or the audit log.
 */
export interface AccountToken {
  get(): Promise<string | null>;
  set(token: string): Promise<void>;
  clear(): Promise<void>;
}

/**
 * A tab Revoke opened in the background on the account's origin, its page live (with its script):
 * for a sign-out that only the page's script carries out (single-page apps). Nothing is read or
 * pressed while the tab shows another origin.
 */
export interface SiteTab {
  /** What the page shows now; 'elsewhere' when the tab is on another origin; null while it loads or cannot be read. */
  read(): Promise<LivePage | 'elsewhere' | null>;
  /**
   * Presses control `index` of the last read as a person would: true when pressed; false when not
   * (the page or the control is gone); null when the browser erred meanwhile (it may have been pressed).
   */
  press(index: number): Promise<boolean | null>;
}

/** Background tabs on the account's origin (src/background/site-tab.ts). The extension's only: absent in Node. */
export interface SiteTabs {
  /**
   * Opens `url` (on the account's origin, else ConnectorError 'permission') in a tab in the
   * background, waits (bounded) for it to load, runs `task`, and closes the tab whatever happens.
   */
  open<T>(url: string, task: (tab: SiteTab) => Promise<T>): Promise<T>;
}

export interface ConnectorContext {
  account: LinkedAccountRef;
  /** Present for connectors with `meta.signIn`: the token Revoke signed in with. */
  token?: AccountToken;
  /** A password the person typed for this one request (`can.passwordToEnd`); never stored. */
  password?: string;
  /**
   * Fetch with the account's cookies. Refuses any URL outside the account's origins
   * (ConnectorError 'permission'), applies timeouts (ConnectorError 'timeout'), maps
   * network errors to 'offline', and sends the site's own Origin on unsafe methods
   * so that origin checks (better-auth, Rails, Django) accept the request.
   */
  fetch(url: string, init?: FetchInit): Promise<HttpResponse>;
  /**
   * Reads named values out of an HTML page by CSS selector (src/lib/html-select.ts): asynchronous
   * and plain data, because Chrome's worker has no DOMParser and parses in its offscreen document.
   */
  selectHtml<Q extends HtmlQuery>(html: string, query: Q): Promise<HtmlValues<Q>>;
  local: LocalState;
  /** The site's live page in a background tab, where the browser offers it (not in Node tests). */
  tabs?: SiteTabs;
  now(): number;
  signal: AbortSignal;
}

export interface WhoAmI {
  /** What the person recognises: email, username. */
  account: string;
  /** The service's id for the current session, when it tells (used to mark `current`). */
  sessionId?: string;
}

export type RevokeTarget = { id: string } | 'others' | 'all';

/**
 * What the page in the current tab shows, as a connector's `detect.markers` asked for it (each
 * name's values, at most a few short strings each; see src/lib/page-markers.ts). Untrusted: the
 * page wrote it.
 */
export interface DetectPage<Q extends HtmlQuery = HtmlQuery> {
  /** The tab's address (from the browser, not from the page). */
  url: URL;
  values: HtmlValues<Q>;
}

/** The answer to a probe: one same-origin GET, without cookies, its body cut to a few KB. */
export interface ProbeAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * How a connector recognises its service in the tab the popup opened on, from cheap, documented
 * markers. Reading the markers requests nothing (the page is already there); `probe` fetches one
 * more document of the page's origin and is for confirming what the markers already suggest.
 */
export interface Detector<Q extends HtmlQuery = HtmlQuery> {
  /** Named CSS selectors, as in ctx.selectHtml ('meta[name="generator"]@content'). */
  markers: Q;
  /** The instance URL (base URL) this page belongs to, or null when it is not this service. */
  match(page: DetectPage<Q>, probe: (path: string) => Promise<ProbeAnswer | null>): Promise<string | null> | string | null;
}

/** A connector's detector, its markers' names typed in `match`. */
export function detector<const Q extends HtmlQuery>(markers: Q, match: Detector<Q>['match']): Detector {
  return { markers, match } as Detector;
}

export interface SignInCredentials {
  /** As the person typed it (Matrix: "@me:example.org" or "me"). */
  user: string;
  /** Used for this one request, then dropped. */
  password: string;
  /** How Revoke's device is named in the service's own list ("Revoke (Chrome)"). */
  deviceName: string;
}

export interface Connector {
  meta: ConnectorMeta;
  /**
   * What it can do for this account, when that depends on the account's settings ("Any site"
   * can end a session on the server only with a sign-out address). Default: meta.can.
   */
  capabilities?(account: LinkedAccountRef): Capabilities;
  /** Signed in? As whom? Null when signed out (not an error). */
  whoami(ctx: ConnectorContext): Promise<WhoAmI | null>;
  /** Present when meta.can.list. A SessionList when the service mentions sessions it does not list. */
  listSessions?(ctx: ConnectorContext): Promise<Session[] | SessionList>;
  /**
   * Present when any of revokeOne/revokeOthers/revokeAll. Resolves when the service said yes; the
   * engine verifies, with the connector's own proof when it gives one ("Any site"). May say what the
   * service ended beyond the target (`ended`), for the result.
   */
  revoke?(ctx: ConnectorContext, target: RevokeTarget): Promise<void | { ended: string } | SignOutProof>;
  /**
   * How long one `revoke` may take, when longer than the engine's bound for a call ("Any site"
   * may load the site's page twice in a background tab and wait for its script).
   */
  revokeTimeoutMs?: number;
  /**
   * For `meta.signIn`: signs Revoke in as its own device with the password (used for this call
   * only) and keeps the token in `ctx.token`. Returns the account settings to store (no secrets).
   * ConnectorError 'forbidden' for a refused password.
   */
  signIn?(ctx: ConnectorContext, credentials: SignInCredentials): Promise<Record<string, string>>;
  /** Ends Revoke's own sign-in before the account is unlinked (best effort) and forgets its token. */
  release?(ctx: ConnectorContext): Promise<void>;
  /**
   * For instance-based connectors: the instance URL to store, found from what the person typed
   * (an app's address rather than its API's). ConnectorError 'page-changed' when none is there.
   */
  resolveInstance?(ctx: ConnectorContext): Promise<string>;
  /** Recognises the service in the current tab, for "Link <service> at <host>" (src/connectors/detect.ts). */
  detect?: Detector;
}

/** What `connector` can do for `account`: its own answer where it has one, else what it can do at all. */
export function capabilitiesOf(connector: Connector, account: LinkedAccountRef): Capabilities {
  return connector.capabilities?.(account) ?? connector.meta.can;
}
