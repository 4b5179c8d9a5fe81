/**
 * GitHub (github.com). GitHub has no API for web sessions; its settings page is the only place
 * they are listed and ended. What Revoke reads there is GitHub's page as its documentation
 * describes it (github/docs content/authentication/keeping-your-account-and-data-secure/
 * viewing-and-managing-your-sessions.md @04140376: "Web sessions", "See more" for a session's
 * details, "Revoke session" there) and as public code reads github.com (`<meta name="user-login">`,
 * empty when signed out, read by many browser extensions; `<relative-time datetime>` from
 * github/relative-time-element), with Rails' own form conventions (button_to with method: :delete
 * renders a POST form with hidden `_method` and a per-form `authenticity_token`; see rails.ts).
 * GitHub's server code is not public: the markup below is Revoke's record of the page, its
 * evidence level "recorded" (README), and anything else is "page changed", never "no sessions".
 *
 * What Revoke relies on:
 * - GET /settings/sessions: signed out, a redirect to /login. Signed in, `meta[name=user-login]`
 *   and, under `#web-sessions`, one `li.Box-row` per web session: `strong` = location and IP
 *   ("Berlin, Germany 203.0.113.7"), a `.Label` "Your current session" on this browser's row,
 *   `.flex-auto > div:nth-of-type(1)` = "<browser> on <system>", `relative-time@datetime` = last
 *   accessed, and a link /settings/sessions/{id} ("See more"). GitHub Mobile sessions are not read.
 * - GET /settings/sessions/{id}: another session's details carry the revoke form
 *   `form[action="/settings/sessions/{id}"]` (hidden `_method` = delete, `authenticity_token`).
 *   This browser's own details have none: it ends by signing out (GET /logout's form, POST /logout).
 * - Sending the form: a redirect back to the list when done; 422 for a refused token. Sudo mode:
 *   GitHub may answer a sensitive request with its "Confirm access" page (a form posting to
 *   /sessions/sudo) instead of doing it; Revoke says so (reauth) and does not claim the end. Should
 *   GitHub send the browser there by a redirect instead, a browser hides where it points (status
 *   0): the request then reads as sent, and the engine's look at the list finds the session still
 *   there ("not confirmed"), never "ended".
 *
 * Cases: test/connectors/cases/github.ts, against the loopback github.com in
 * test/connectors/servers/github.ts.
 */
import { excerpt } from './context';
import { endEach, host, pageChanged, readRailsPage, readRows, signedOut, type RailsSite } from './rails';
import { connectorError } from './common';
import { ConnectorError, type Connector, type ConnectorContext, type RevokeTarget, type Session, type WhoAmI } from './types';

const SESSIONS = '/settings/sessions';
const SUDO_FORM = 'form[action$="/sessions/sudo"]';

function site(ctx: ConnectorContext): RailsSite {
  return { service: 'GitHub', base: ctx.account.origin, signInPath: '/login' };
}

const ROW = {
  where: 'strong',
  current: '.Label',
  agent: '.flex-auto > div:nth-of-type(1)',
  lastActive: 'relative-time@datetime',
  link: `a[href^="${SESSIONS}/"]@href`,
} as const;

const text = (s: string | undefined) => s?.replace(/\s+/g, ' ').trim() || undefined;
const IP = /^(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:]+)$/i;

function sudo(ctx: ConnectorContext, detail: string): ConnectorError {
  return connectorError('reauth', { key: 'words_githubSudo', subs: [host(ctx)] }, detail);
}

async function readSessions(ctx: ConnectorContext): Promise<{ login: string; sessions: Session[] }> {
  const page = await readRailsPage(ctx, site(ctx), SESSIONS, { login: 'meta[name="user-login"]@content', list: '#web-sessions', sudo: SUDO_FORM });
  if (!page) throw signedOut(ctx, site(ctx));
  if (page.values.sudo.length > 0) throw sudo(ctx, `GET ${SESSIONS}: the Confirm access page`);
  const login = text(page.values.login[0]);
  if (!login) throw signedOut(ctx, site(ctx), `GET ${SESSIONS}: an empty user-login`);
  if (page.values.list.length !== 1) throw pageChanged(ctx, site(ctx), `no #web-sessions on ${SESSIONS}`);
  const rows = await readRows(ctx, site(ctx), page.html, '#web-sessions li.Box-row', ROW, ['where', 'link']);
  const sessions = rows.map((row, i): Session => {
    const id = new RegExp(`^${SESSIONS}/([^/?#]+)$`).exec(row.link!)?.[1];
    if (!id) throw pageChanged(ctx, site(ctx), `session ${i + 1}: a link that is not ${SESSIONS}/{id}`);
    const where = text(row.where)!.split(' ');
    const ip = IP.test(where.at(-1)!) ? where.pop() : undefined;
    const session: Session = { id: decodeURIComponent(id), current: text(row.current) === 'Your current session', extra: {} };
    if (ip) session.ip = ip;
    if (where.length > 0) session.location = where.join(' ');
    const agent = text(row.agent)?.split(' on ');
    if (agent?.[0]) session.browser = agent[0];
    if (agent?.[1]) session.os = agent.slice(1).join(' on ');
    const last = row.lastActive ? Date.parse(row.lastActive) : NaN;
    if (Number.isFinite(last)) session.lastActiveAt = last;
    return session;
  });
  if (sessions.filter((s) => s.current).length > 1) throw pageChanged(ctx, site(ctx), 'more than one session marked current');
  return { login, sessions };
}

/** The hidden fields of the form posting to `action` on the page at `path` (null: the page has none). */
async function readForm(ctx: ConnectorContext, path: string, action: string): Promise<Record<string, string> | null> {
  const page = await readRailsPage(ctx, site(ctx), path, {
    names: `form[action="${action}"] input[type="hidden"]@name`,
    values: `form[action="${action}"] input[type="hidden"]@value`,
    sudo: SUDO_FORM,
  });
  if (!page) throw signedOut(ctx, site(ctx));
  if (page.values.sudo.length > 0) throw sudo(ctx, `GET ${path}: the Confirm access page`);
  const { names, values } = page.values;
  if (names.length === 0) return null;
  if (names.length !== values.length) throw pageChanged(ctx, site(ctx), `GET ${path}: a form field without a value`);
  return Object.fromEntries(names.map((n, i) => [n, values[i]!]));
}

/** Sends a form GitHub rendered, as the browser would; resolves when GitHub took it. */
async function send(ctx: ConnectorContext, action: string, fields: Record<string, string>): Promise<void> {
  if (!fields.authenticity_token) throw pageChanged(ctx, site(ctx), `the form to ${action} has no authenticity_token`);
  const res = await ctx.fetch(`${ctx.account.origin}${action}`, { method: 'POST', form: fields, headers: { accept: 'text/html' }, redirect: 'manual' });
  const s = res.status;
  // A session's id stays out of what is shown: the path's last part is cut on session pages.
  const detail = `HTTP ${s || 'redirect'} ${(fields._method ?? 'post').toUpperCase()} ${action.startsWith(`${SESSIONS}/`) ? `${SESSIONS}/…` : action}`;
  const location = res.headers.get('location');
  if (location && new URL(location, ctx.account.origin).pathname.endsWith('/sessions/sudo')) throw sudo(ctx, detail);
  if (s === 0 || (s >= 300 && s < 400)) return;
  const body = await res.text().catch(() => '');
  if (s === 200 || s === 401) {
    // The sudo page answers in place of the request; any other page means it was not carried out.
    if ((await ctx.selectHtml(body, { sudo: SUDO_FORM })).sudo.length > 0) throw sudo(ctx, detail);
    throw pageChanged(ctx, site(ctx), `${detail}: ${excerpt(body)}`);
  }
  if (s === 422) throw connectorError('forbidden', { key: 'connErr_railsCsrf', subs: ['GitHub', host(ctx)] }, detail);
  if (s === 403) throw connectorError('forbidden', { key: 'connErr_refused', subs: ['GitHub'] }, detail);
  if (s === 404) throw pageChanged(ctx, site(ctx), detail);
  throw connectorError('server', { key: 'connErr_railsNotDone', subs: ['GitHub', host(ctx), String(s)] }, `${detail}: ${excerpt(body)}`);
}

async function endOne(ctx: ConnectorContext, session: Session): Promise<void> {
  if (session.current) {
    const fields = await readForm(ctx, '/logout', '/logout');
    if (!fields) throw pageChanged(ctx, site(ctx), 'no sign-out form on /logout');
    return send(ctx, '/logout', fields);
  }
  const action = `${SESSIONS}/${encodeURIComponent(session.id)}`;
  const fields = await readForm(ctx, action, action);
  if (!fields) throw pageChanged(ctx, site(ctx), `no revoke form on ${SESSIONS}/…`);
  if (fields._method?.toLowerCase() !== 'delete') throw pageChanged(ctx, site(ctx), `the revoke form is not a DELETE (${fields._method ?? 'none'})`);
  return send(ctx, action, fields);
}

// ---------------------------------------------------------------------------------------------
// Operations

async function whoami(ctx: ConnectorContext): Promise<WhoAmI | null> {
  try {
    const { login, sessions } = await readSessions(ctx);
    const current = sessions.find((s) => s.current);
    return { account: login, ...(current ? { sessionId: current.id } : {}) };
  } catch (e) {
    if (e instanceof ConnectorError && e.kind === 'signed-out') return null;
    throw e;
  }
}

async function listSessions(ctx: ConnectorContext): Promise<Session[]> {
  return (await readSessions(ctx)).sessions;
}

async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<void> {
  const { sessions } = await readSessions(ctx);
  if (typeof target === 'object') {
    const session = sessions.find((s) => s.id === target.id);
    if (session) await endOne(ctx, session);
    return;
  }
  const current = sessions.find((s) => s.current);
  if (!current) throw connectorError('unsupported', { key: 'connErr_noCurrentAt', subs: ['GitHub', host(ctx)] });
  await endEach(sessions.filter((s) => !s.current), (s) => endOne(ctx, s));
  if (target === 'all') await endOne(ctx, current);
}

export const githubConnector: Connector = {
  meta: {
    id: 'github',
    name: 'GitHub',
    origins: ['https://github.com'],
    manageUrl: () => `https://github.com${SESSIONS}`,
    can: { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true, currentBySignOut: true },
  },
  whoami,
  listSessions,
  revoke,
};
