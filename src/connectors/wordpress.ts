/**
 * Any WordPress site, read from WordPress 6.1.9 (Debian's wordpress 6.1.9+dfsg1-0+deb12u1, the
 * release the tests run): wp-admin/user-edit.php (the profile page: #user_login, form#your-profile
 * with #_wpnonce for 'update-user_{id}' and #user_id, the "Sessions" row), wp-admin/includes/
 * ajax-actions.php (wp_ajax_destroy_sessions), wp-login.php (case 'logout': check_admin_referer
 * 'log-out'), wp-includes/admin-bar.php (#wp-admin-bar-logout, wp_logout_url()),
 * wp-includes/script-loader.php (wpApiSettings: REST root and a 'wp_rest' nonce),
 * wp-includes/rest-api.php (rest_cookie_check_errors) and wp-includes/rest-api/endpoints/
 * class-wp-rest-application-passwords-controller.php.
 *
 * - Who am I: GET /wp-admin/profile.php; signed out it redirects to /wp-login.php.
 * - WordPress keeps one session token per login but shows none of them: the profile page's
 *   "Sessions" row has an enabled button#destroy-sessions only when more than one exists, a
 *   disabled one ("You are only logged in at this location.") otherwise. So the list is this
 *   browser's session plus `unlisted: 'some'`, never invented rows.
 * - End the others: POST /wp-admin/admin-ajax.php action=destroy-sessions, nonce (#_wpnonce),
 *   user_id -> {"success":true}; a wrong nonce -> {"success":false}; no session -> 400 "0".
 * - Sign this browser out: the admin bar's logout link (wp-login.php?action=logout&_wpnonce=…),
 *   which ends this session token on the server, then 302 to wp-login.php?loggedout=true; a wrong
 *   nonce -> 403 "You are attempting to log out".
 * - Application passwords (long-lived credentials for apps and scripts): REST
 *   wp/v2/users/me/application-passwords under wpApiSettings.root, cookie + X-WP-Nonce. GET lists
 *   {uuid, app_id, name, created, last_used, last_ip} (GMT times without a zone); DELETE …/{uuid}
 *   ends one (404 rest_application_password_not_found when gone); DELETE on the list ends all.
 *   A wrong nonce -> 403 rest_cookie_invalid_nonce; 501 application_passwords_disabled where the
 *   site turned them off (or serves them only over https). They cannot sign in to wp-login.php.
 */
import { excerpt } from './context';
import { connectorError, instanceBase, isRecord, THIS_BROWSER } from './common';
import { type MessageKey, say, t } from '../i18n/t';
import {
  ConnectorError,
  detector,
  type Connector,
  type ConnectorContext,
  type HttpResponse,
  type RevokeTarget,
  type Session,
  type SessionList,
  type WhoAmI,
} from './types';

const PROFILE = '/wp-admin/profile.php';
const APP_PASSWORDS = 'wp/v2/users/me/application-passwords';

function site(ctx: ConnectorContext): string {
  const url = new URL(instanceBase(ctx.account));
  return `${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

function pageChanged(ctx: ConnectorContext, detail: string): ConnectorError {
  return connectorError('page-changed', { key: 'connErr_wpChanged', subs: [site(ctx)] }, detail);
}

function signedOut(ctx: ConnectorContext, detail?: string): ConnectorError {
  return connectorError('signed-out', { key: 'connErr_signedOutAt', subs: ['WordPress', site(ctx)] }, detail);
}

/** What did not happen because WordPress refused: the end of a sentence ("…, so no session was ended"). */
type Unfinished = Extract<MessageKey, 'connErr_wpNotListed' | 'connErr_wpNotDeleted' | 'connErr_wpNoneDeleted' | 'connErr_wpNoneEnded' | 'connErr_wpStillSignedIn'>;

function refused(ctx: ConnectorContext, what: Unfinished, detail: string): ConnectorError {
  return connectorError('forbidden', { key: 'connErr_wpNonce', subs: [site(ctx), say({ key: what })] }, detail);
}

// ---------------------------------------------------------------------------------------------
// The profile page

interface Profile {
  user: string;
  userId: string;
  /** #_wpnonce of the profile form ('update-user_{id}'), which destroy-sessions checks. */
  nonce: string;
  /** The "Sessions" row: does WordPress say other sessions exist? Null when the row is missing. */
  others: boolean | null;
  logoutUrl: string | null;
  rest: { root: string; nonce: string } | null;
  /** The application passwords table is on the page (the feature is on for this account). */
  appPasswords: boolean;
}

function readApiSettings(script: string | undefined): Profile['rest'] {
  const json = script && /wpApiSettings\s*=\s*(\{.*?\});/s.exec(script)?.[1];
  if (!json) return null;
  try {
    const settings: unknown = JSON.parse(json);
    if (isRecord(settings) && typeof settings.root === 'string' && typeof settings.nonce === 'string' && settings.nonce !== '') {
      return { root: settings.root, nonce: settings.nonce };
    }
  } catch {
    // not the script WordPress writes: below, as missing
  }
  return null;
}

/** The profile page read, or null when this browser is signed out there. */
async function readProfile(ctx: ConnectorContext): Promise<Profile | null> {
  const res = await ctx.fetch(`${instanceBase(ctx.account)}${PROFILE}`, { headers: { accept: 'text/html' } });
  const landed = new URL(res.url).pathname;
  if (/\/wp-login\.php$/.test(landed)) return null;
  if (res.status === 404) throw connectorError('page-changed', { key: 'connErr_wpNoProfile', subs: [site(ctx), PROFILE] }, 'HTTP 404');
  if (res.status >= 500) throw connectorError('server', { key: 'connErr_serverAt', subs: ['WordPress', site(ctx), String(res.status)] }, `HTTP ${res.status}`);
  if (res.status !== 200) throw pageChanged(ctx, `HTTP ${res.status} ${PROFILE}`);
  const found = await ctx.selectHtml(await res.text(), {
    user: 'input#user_login@value',
    userId: 'form#your-profile input#user_id@value',
    nonce: 'form#your-profile input#_wpnonce@value',
    othersButton: 'tr.user-sessions-wrap button#destroy-sessions@type',
    onlyHereButton: 'tr.user-sessions-wrap button[disabled]@type',
    logout: '#wp-admin-bar-logout a@href',
    api: 'script#wp-api-request-js-extra',
    appPasswords: '#application-passwords-section .application-passwords-list-table-wrapper@class',
  });
  const [user, userId, nonce] = [found.user[0], found.userId[0], found.nonce[0]];
  if (!user || !userId || !nonce) throw pageChanged(ctx, `${landed}: no #user_login, #user_id or #_wpnonce in the profile form`);
  const others = found.othersButton.length > 0 ? true : found.onlyHereButton.length > 0 ? false : null;
  return { user, userId, nonce, others, logoutUrl: found.logout[0] ?? null, rest: readApiSettings(found.api[0]), appPasswords: found.appPasswords.length > 0 };
}

async function signedInProfile(ctx: ConnectorContext): Promise<Profile> {
  const profile = await readProfile(ctx);
  if (!profile) throw signedOut(ctx);
  return profile;
}

// ---------------------------------------------------------------------------------------------
// Application passwords (REST)

interface AppPassword {
  uuid: string;
  session: Session;
}

/** A REST route under the site's root, which is /wp-json/ or, without pretty links, ?rest_route=/. */
function restUrl(root: string, route: string): string {
  return `${root}${route}`;
}

/** REST's GMT times come without a zone ("2024-05-01T10:00:00"). */
function gmt(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

function readAppPassword(ctx: ConnectorContext, v: unknown, i: number): AppPassword {
  if (!isRecord(v) || typeof v.uuid !== 'string' || v.uuid === '' || typeof v.name !== 'string') {
    throw pageChanged(ctx, `application-passwords[${i}] has no uuid or name`);
  }
  const session: Session = { id: v.uuid, current: false, device: t('extra_appPasswordNamed', v.name), extra: { [t('extra_appPassword')]: v.name } };
  const created = gmt(v.created);
  const lastUsed = gmt(v.last_used);
  if (created !== undefined) session.createdAt = created;
  if (lastUsed !== undefined) session.lastActiveAt = lastUsed;
  if (typeof v.last_ip === 'string' && v.last_ip !== '') session.ip = v.last_ip;
  if (lastUsed === undefined) session.extra[t('extra_lastUsed')] = t('extra_never');
  if (typeof v.app_id === 'string' && v.app_id !== '') session.extra[t('extra_appId')] = v.app_id;
  return { uuid: v.uuid, session };
}

/** A REST answer's error code ("rest_cookie_invalid_nonce"), when it is WordPress's error JSON. */
function restCode(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return isRecord(parsed) && typeof parsed.code === 'string' ? parsed.code : undefined;
  } catch {
    return undefined;
  }
}

/** Sends a REST request with the page's nonce; the parsed JSON of a 2xx, or the failure it says. */
async function rest(ctx: ConnectorContext, profile: Profile, route: string, method: 'GET' | 'DELETE', what: Unfinished): Promise<unknown> {
  if (!profile.rest) throw pageChanged(ctx, 'no wpApiSettings (REST root and nonce) on the profile page');
  const res = await ctx.fetch(restUrl(profile.rest.root, route), { method, headers: { 'x-wp-nonce': profile.rest.nonce, accept: 'application/json' } });
  const body = await res.text();
  const code = restCode(body);
  const detail = `HTTP ${res.status} ${route}${code ? ` ${code}` : `: ${excerpt(body)}`}`;
  if (res.status >= 200 && res.status < 300) {
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw pageChanged(ctx, detail);
    }
  }
  if (code === 'rest_cookie_invalid_nonce') throw refused(ctx, what, detail);
  if (code === 'rest_not_logged_in') throw signedOut(ctx, detail);
  if (code === 'rest_application_password_not_found') return null;
  if (code === 'application_passwords_disabled' || code === 'application_passwords_disabled_for_user') {
    throw connectorError('unsupported', { key: 'connErr_wpAppPasswordsOff', subs: [site(ctx)] }, detail);
  }
  if (res.status === 403) throw connectorError('forbidden', { key: 'connErr_wpRefused', subs: [site(ctx), say({ key: what })] }, detail);
  if (res.status >= 500) throw connectorError('server', { key: 'connErr_serverAt', subs: ['WordPress', site(ctx), String(res.status)] }, detail);
  throw pageChanged(ctx, detail);
}

async function listAppPasswords(ctx: ConnectorContext, profile: Profile): Promise<AppPassword[]> {
  // No table on the page: the site turned application passwords off for this account.
  if (!profile.appPasswords) return [];
  const body = await rest(ctx, profile, APP_PASSWORDS, 'GET', 'connErr_wpNotListed');
  if (!Array.isArray(body)) throw pageChanged(ctx, `${APP_PASSWORDS}: not a list`);
  return body.map((v, i) => readAppPassword(ctx, v, i));
}

// ---------------------------------------------------------------------------------------------
// Operations

async function whoami(ctx: ConnectorContext): Promise<WhoAmI | null> {
  const profile = await readProfile(ctx);
  return profile && { account: profile.user, sessionId: THIS_BROWSER };
}

const thisBrowser = (): Session => ({ id: THIS_BROWSER, current: true, device: t('account_thisBrowser'), extra: {} });

async function listSessions(ctx: ConnectorContext): Promise<SessionList> {
  const profile = await signedInProfile(ctx);
  if (profile.others === null) throw pageChanged(ctx, 'no "Sessions" row (tr.user-sessions-wrap) on the profile page');
  const passwords = await listAppPasswords(ctx, profile);
  return { sessions: [thisBrowser(), ...passwords.map((p) => p.session)], ...(profile.others && { unlisted: 'some' as const }) };
}

async function destroyOtherSessions(ctx: ConnectorContext, profile: Profile): Promise<void> {
  const res = await ctx.fetch(`${instanceBase(ctx.account)}/wp-admin/admin-ajax.php`, {
    form: { action: 'destroy-sessions', nonce: profile.nonce, user_id: profile.userId },
    headers: { accept: 'application/json', 'x-requested-with': 'XMLHttpRequest' },
    redirect: 'manual',
  });
  const body = await res.text();
  const detail = `HTTP ${res.status || 'redirect'} admin-ajax.php destroy-sessions: ${excerpt(body)}`;
  // admin-ajax.php answers "0" with 400 to a request without a signed-in user.
  if (res.status === 400 && body.trim() === '0') throw signedOut(ctx, detail);
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    throw pageChanged(ctx, detail);
  }
  if (!isRecord(answer) || typeof answer.success !== 'boolean') throw pageChanged(ctx, detail);
  if (!answer.success) throw refused(ctx, 'connErr_wpNoneEnded', detail);
}

async function logOut(ctx: ConnectorContext, profile: Profile): Promise<void> {
  if (!profile.logoutUrl) throw pageChanged(ctx, 'no logout link (#wp-admin-bar-logout) on the profile page');
  const url = new URL(profile.logoutUrl, instanceBase(ctx.account));
  if (url.searchParams.get('action') !== 'logout' || !url.searchParams.get('_wpnonce')) throw pageChanged(ctx, 'the logout link has no action=logout and _wpnonce');
  // The redirect after it (to wp-login.php?loggedout=true) carries the cookies' expiry.
  const res: HttpResponse = await ctx.fetch(url.href, { headers: { accept: 'text/html' } });
  const detail = `HTTP ${res.status} ${new URL(res.url).pathname}`;
  void res.text().catch(() => undefined);
  if (res.status === 403) throw refused(ctx, 'connErr_wpStillSignedIn', detail);
  if (res.status >= 500) throw connectorError('server', { key: 'connErr_wpServerSignOut', subs: [site(ctx), String(res.status)] }, detail);
  if (res.status !== 200) throw pageChanged(ctx, detail);
}

async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<void> {
  const profile = await signedInProfile(ctx);
  if (typeof target === 'object') {
    if (target.id === THIS_BROWSER) return logOut(ctx, profile);
    // Already gone (a null answer) is what was asked; the engine lists again to check.
    await rest(ctx, profile, `${APP_PASSWORDS}/${encodeURIComponent(target.id)}`, 'DELETE', 'connErr_wpNotDeleted');
    return;
  }
  // Others: every other login, then every application password. All: then this browser too.
  if (profile.others !== false) await destroyOtherSessions(ctx, profile);
  if ((await listAppPasswords(ctx, profile)).length > 0) await rest(ctx, profile, APP_PASSWORDS, 'DELETE', 'connErr_wpNoneDeleted');
  if (target === 'all') await logOut(ctx, profile);
}

/** The REST API root as get_rest_url() writes it: pretty links, or the rest_route query (wp-includes/rest-api.php). */
const REST_ROOT = /^(.*?)\/(?:wp-json\/?|(?:index\.php)?\?rest_route=\/?)$/;

// wp_head's rest_output_link_wp_head() links the REST root on every front-end page, and wp_generator()
// names WordPress (security plugins often remove the latter). The root gives the site's folder.
const detect = detector(
  { restRoot: 'link[rel="https://api.w.org/"]@href', generator: 'meta[name="generator"]@content' },
  ({ url, values }) => {
    const [href] = values.restRoot;
    if (href === undefined) return values.generator.some((g) => /^WordPress \d/.test(g)) ? url.origin : null;
    let root: URL;
    try {
      root = new URL(href, url);
    } catch {
      return null;
    }
    const base = REST_ROOT.exec(root.pathname + root.search)?.[1];
    if (base === undefined || root.origin !== url.origin) return null;
    if (!(url.pathname === base || url.pathname.startsWith(`${base}/`))) return null;
    return url.origin + base;
  },
);

export const wordpressConnector: Connector = {
  meta: {
    id: 'wordpress',
    name: 'WordPress',
    origins: [],
    instanceUrl: {
      label: 'Site address',
      placeholder: 'https://blog.example.com',
      help: "The WordPress site's address, with its folder if it has one (https://example.com/blog). WordPress does not list its sessions: Revoke shows this browser's, says when others exist, and lists application passwords.",
    },
    manageUrl: (account) => `${instanceBase(account)}${PROFILE}`,
    // One by one: application passwords and this browser's session. Others: WordPress's own
    // "Log Out Everywhere Else" plus every application password.
    can: { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true },
  },
  whoami,
  listSessions,
  revoke,
  detect,
};
