/**
 * GitLab (gitlab.com and self-managed), read from gitlabhq/gitlabhq as the code index stores it
 * (each file at its own commit; the active-sessions page as of GitLab 17, under /-/user_settings):
 * app/controllers/user_settings/active_sessions_controller.rb @79a05abe,
 * app/views/user_settings/active_sessions/index.html.haml @2bae6e5b and _active_session.html.haml
 * @c32aa448, app/helpers/active_sessions_helper.rb (revoke_session_path: the session's private
 * id), app/models/active_session.rb @20758bc3, config/initializers/8_devise.rb @cb0d23c4
 * (sign_out_via :post), app/controllers/application_controller.rb @2c4c0c89 (authenticate_user!
 * before protect_from_forgery with: :exception).
 *
 * - GET /-/user_settings/active_sessions: ul.list-group, one li.list-group-item per session: the
 *   device type (title), IP, "Last accessed on" (localised date text), browser and OS, when it
 *   signed in, and a Revoke link (data-method="delete" to .../active_sessions/{private id}). This
 *   browser's item says "This is your current session" and has no link: GitLab cannot end it
 *   from there. Revoke calls it 'current' and ends it by signing out (POST /users/sign_out).
 * - DELETE (the Rails form: POST _method=delete + authenticity_token) ends one session and also
 *   forgets remember-me tokens; it answers 302 to the list even for an unknown id (and 406 to a
 *   JSON request after destroying): only listing again tells what happened.
 * - Who am I: GET /api/v4/user, which takes the session cookie on GET; 401 when signed out. Pages
 *   redirect to /users/sign_in when signed out; a bad authenticity token is 422.
 */
import { detector, type Connector, type ConnectorContext, type LinkedAccountRef, type RevokeTarget, type Session, type WhoAmI } from './types';
import { connectorError, instanceBase } from './common';
import { endEach, host, pageChanged, readRailsPage, readRows, requireToken, signedOut, submitRailsForm, type RailsSite, type RailsToken } from './rails';
import { t } from '../i18n/t';

const SESSIONS = '/-/user_settings/active_sessions';
const CURRENT = 'current';

function site(ctx: ConnectorContext): RailsSite {
  return { service: 'GitLab', base: instanceBase(ctx.account), signInPath: '/users/sign_in' };
}

const ITEM = {
  deviceType: '[data-toggle="tooltip"]@title',
  ip: '.description > div:nth-child(1) strong',
  activity: '.description > div:nth-child(2)',
  browser: '.description > div:nth-child(3) > strong:nth-of-type(1)',
  os: '.description > div:nth-child(3) > strong:nth-of-type(2)',
  signedIn: '.description > div:nth-child(4)',
  revoke: 'a[data-method="delete"]@href',
} as const;

const text = (s: string | undefined) => s?.replace(/\s+/g, ' ').trim() || undefined;

async function readSessions(ctx: ConnectorContext): Promise<{ token: RailsToken; sessions: Session[] }> {
  const page = await readRailsPage(ctx, site(ctx), SESSIONS, { list: 'ul.list-group' });
  if (!page) throw signedOut(ctx, site(ctx));
  const token = requireToken(ctx, site(ctx), page);
  if (page.values.list.length !== 1) throw pageChanged(ctx, site(ctx), `no ul.list-group of sessions on ${SESSIONS}`);
  const rows = await readRows(ctx, site(ctx), page.html, 'ul.list-group > li.list-group-item', ITEM, ['ip', 'browser', 'os']);
  const sessions = rows.map((row, i): Session => {
    const id = row.revoke ? /\/active_sessions\/([^/?#]+)$/.exec(row.revoke)?.[1] : CURRENT;
    if (!id) throw pageChanged(ctx, site(ctx), `session ${i + 1}: a Revoke link that is not .../active_sessions/{id}`);
    const session: Session = { id: decodeURIComponent(id), current: id === CURRENT, ip: text(row.ip)!, browser: text(row.browser)!, os: text(row.os)!, extra: {} };
    const device = text(row.deviceType);
    if (device) session.device = device;
    // GitLab writes these as localised dates: shown as it says them.
    if (!session.current && text(row.activity)) session.extra[t('extra_lastAccessed')] = text(row.activity)!;
    if (text(row.signedIn)) session.extra[t('extra_signedIn')] = text(row.signedIn)!;
    return session;
  });
  if (sessions.filter((s) => s.current).length > 1) throw pageChanged(ctx, site(ctx), 'more than one session without a Revoke link');
  return { token, sessions };
}

// ---------------------------------------------------------------------------------------------
// Operations

async function whoami(ctx: ConnectorContext): Promise<WhoAmI | null> {
  const res = await ctx.fetch(`${instanceBase(ctx.account)}/api/v4/user`, { headers: { accept: 'application/json' } });
  if (res.status === 401) return null;
  if (res.status >= 500) throw connectorError('server', { key: 'connErr_serverAt', subs: ['GitLab', host(ctx), String(res.status)] }, `HTTP ${res.status} /api/v4/user`);
  const body = res.status === 200 ? await res.json() : undefined;
  const username = typeof body === 'object' && body !== null ? (body as { username?: unknown }).username : undefined;
  if (typeof username !== 'string' || username === '') throw pageChanged(ctx, site(ctx), `HTTP ${res.status} /api/v4/user: no username`);
  return { account: username, sessionId: CURRENT };
}

async function listSessions(ctx: ConnectorContext): Promise<Session[]> {
  return (await readSessions(ctx)).sessions;
}

async function endOne(ctx: ConnectorContext, token: RailsToken, id: string): Promise<void> {
  // GitLab's list cannot end this browser's session: its own sign-out does.
  if (id === CURRENT) await submitRailsForm(ctx, site(ctx), '/users/sign_out', 'post', token);
  else await submitRailsForm(ctx, site(ctx), `${SESSIONS}/${encodeURIComponent(id)}`, 'delete', token);
}

async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<void> {
  const { token, sessions } = await readSessions(ctx);
  if (typeof target === 'object') {
    if (sessions.some((s) => s.id === target.id)) await endOne(ctx, token, target.id);
    return;
  }
  if (!sessions.some((s) => s.current)) {
    throw connectorError('unsupported', { key: 'connErr_noCurrentAt', subs: ['GitLab', host(ctx)] });
  }
  await endEach(sessions.filter((s) => !s.current), (s) => endOne(ctx, token, s.id));
  if (target === 'all') await endOne(ctx, token, CURRENT);
}

const MANIFEST = '/-/manifest.json';

// layouts/_head.html.haml: og:site_name is GitLab on every instance, and the PWA manifest's link sits
// under the instance's relative URL root, which gives the folder of a GitLab that has one.
const detect = detector(
  { siteName: 'meta[property="og:site_name"]@content', manifest: 'link[rel="manifest"]@href' },
  ({ url, values }) => {
    if (!values.siteName.includes('GitLab')) return null;
    const href = values.manifest.find((h) => h.endsWith(MANIFEST));
    if (href === undefined) return null;
    let manifest: URL;
    try {
      manifest = new URL(href, url);
    } catch {
      return null;
    }
    const root = manifest.pathname.slice(0, -MANIFEST.length);
    if (manifest.origin !== url.origin || !(url.pathname === root || url.pathname.startsWith(`${root}/`))) return null;
    return url.origin + root;
  },
);

export const gitlabConnector: Connector = {
  meta: {
    id: 'gitlab',
    name: 'GitLab',
    origins: [],
    instanceUrl: {
      label: 'GitLab address',
      placeholder: 'https://gitlab.com',
      help: 'https://gitlab.com, or the address of your own GitLab with its folder if it has one. Revoke lists its active sessions and ends them; this browser’s session ends by signing out.',
    },
    manageUrl: (account) => `${instanceBase(account)}${SESSIONS}`,
    can: { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true, currentBySignOut: true },
  },
  whoami,
  listSessions,
  revoke,
  detect,
};
