/**
 * Mastodon (any instance), read from mastodon/mastodon as the code index stores it (each file at
 * its own commit; the markup is the 4.3 era's: material_symbol icons, the applications list):
 * app/views/auth/registrations/edit.html.haml @e87307ec, _sessions.html.haml @444796b6,
 * _session.html.haml @faa53fc5, app/controllers/settings/sessions_controller.rb (the
 * Settings::BaseController version), app/controllers/oauth/authorized_applications_controller.rb
 * (OAuth::, applications_last_used), app/views/oauth/authorized_applications/index.html.haml
 * @8f71c668, app/controllers/auth/sessions_controller.rb (destroy), config/initializers/devise.rb
 * (Warden hooks), app/helpers/application_helper.rb (table_link_to), config/routes.rb.
 *
 * - Browser sessions are SessionActivations, an HTML table on GET /auth/edit: per row the user
 *   agent (span title), "Browser on Platform" (localised), the IP (samp), the last activity
 *   (time[datetime]) and a revoke link (data-method="delete" to /settings/sessions/{id}). This
 *   browser's row says "Current session" instead of a time and has no link, so its id is not on
 *   the page: Revoke calls it 'current' and ends it with Devise's sign-out (DELETE /auth/sign_out),
 *   whose Warden hook deactivates that activation.
 * - Authorized apps: GET /oauth/authorized_applications, one .applications-list__item each with a
 *   revoke link (DELETE /oauth/authorized_applications/{id}: every token of that app for this
 *   user). The web app itself (the "superapp", whose tokens are the browser sessions) has none.
 * - Unsafe requests are the Rails form rails-ujs sends (POST _method=delete, authenticity_token
 *   from <meta name="csrf-token">); a bad token is 422. Signed out, pages redirect to
 *   /auth/sign_in. A deleted activation signs its browser out on its next request. Cookies
 *   never authorise /api/v1, so nothing here uses the API.
 */
import { parseUserAgent } from './user-agent';
import { connectorError, instanceBase } from './common';
import { endEach, readRailsPage, readRows, requireToken, signedOut, submitRailsForm, pageChanged, type RailsSite, type RailsToken } from './rails';
import { detector, type Connector, type ConnectorContext, type LinkedAccountRef, type RevokeTarget, type Session, type WhoAmI } from './types';
import { t } from '../i18n/t';

const EDIT = '/auth/edit';
const APPS = '/oauth/authorized_applications';
const CURRENT = 'current';
const APP_PREFIX = 'app-';

function site(ctx: ConnectorContext): RailsSite {
  return { service: 'Mastodon', base: instanceBase(ctx.account), signInPath: '/auth/sign_in' };
}

const SESSION_ROW = {
  userAgent: 'td:nth-child(1) span@title',
  described: 'td:nth-child(1)',
  ip: 'td:nth-child(2) samp',
  activeAt: 'td:nth-child(3) time@datetime',
  revoke: 'td:nth-child(4) a[data-method="delete"]@href',
} as const;

const APP_ROW = {
  name: '.announcements-list__item__title',
  website: 'a.announcements-list__item__title@href',
  meta: '.announcements-list__item__meta',
  revoke: 'a[data-method="delete"]@href',
} as const;

interface SettingsPage {
  email?: string;
  token: RailsToken;
  sessions: Session[];
}

/** The settings page, or null when signed out. `sessions` null: the page has no sessions table. */
async function readSettings(ctx: ConnectorContext): Promise<(Omit<SettingsPage, 'sessions'> & { sessions: Session[] | null }) | null> {
  const page = await readRailsPage(ctx, site(ctx), EDIT, { email: 'input#user_email@value', table: 'table.inline-table > tbody' });
  if (!page) return null;
  const token = requireToken(ctx, site(ctx), page);
  const email = page.values.email[0];
  if (page.values.table.length !== 1) return { ...(email ? { email } : {}), token, sessions: null };
  const rows = await readRows(ctx, site(ctx), page.html, 'table.inline-table > tbody > tr', SESSION_ROW, ['described']);
  const sessions = rows.map((row, i): Session => {
    const id = row.revoke ? /\/settings\/sessions\/(\d+)$/.exec(row.revoke)?.[1] : row.activeAt ? undefined : CURRENT;
    // A row with a time but no revoke link: a suspended account (no links at all), or new markup.
    if (!id) throw pageChanged(ctx, site(ctx), `session row ${i + 1} has no revoke link to /settings/sessions/{id}`);
    const ua = row.userAgent ?? '';
    const parsed = parseUserAgent(ua);
    const session: Session = { id, current: id === CURRENT, ...parsed, extra: { Mastodon: row.described!.replace(/\s+/g, ' ').trim() } };
    if (!parsed.browser && !parsed.os) session.device = session.extra.Mastodon;
    if (ua) session.extra[t('extra_userAgent')] = ua;
    if (row.ip?.trim()) session.ip = row.ip.trim();
    const at = row.activeAt ? Date.parse(row.activeAt) : NaN;
    if (Number.isFinite(at)) session.lastActiveAt = at;
    return session;
  });
  if (sessions.filter((s) => s.current).length > 1) throw pageChanged(ctx, site(ctx), 'more than one session row without a time and a revoke link');
  return { ...(email ? { email } : {}), token, sessions };
}

async function signedInSettings(ctx: ConnectorContext): Promise<SettingsPage> {
  const page = await readSettings(ctx);
  if (!page) throw signedOut(ctx, site(ctx));
  if (!page.sessions) throw pageChanged(ctx, site(ctx), `no sessions table (table.inline-table) on ${EDIT}`);
  return page as SettingsPage;
}

async function readApps(ctx: ConnectorContext): Promise<Session[]> {
  const page = await readRailsPage(ctx, site(ctx), APPS, { list: '.applications-list' });
  if (!page) throw signedOut(ctx, site(ctx));
  if (page.values.list.length !== 1) throw pageChanged(ctx, site(ctx), `no .applications-list on ${APPS}`);
  const rows = await readRows(ctx, site(ctx), page.html, '.applications-list > .applications-list__item', APP_ROW, ['name']);
  // Items without a revoke link are the web app itself, whose tokens are the browser sessions above.
  return rows.flatMap((row): Session[] => {
    const id = row.revoke && /\/oauth\/authorized_applications\/(\d+)$/.exec(row.revoke)?.[1];
    if (!id) return [];
    const session: Session = { id: `${APP_PREFIX}${id}`, current: false, device: t('extra_authorizedApp'), extra: { [t('extra_name')]: row.name!.replace(/\s+/g, ' ').trim() } };
    if (row.website) session.extra.Website = row.website;
    if (row.meta?.trim()) session.extra.Mastodon = row.meta.replace(/\s+/g, ' ').trim();
    return [session];
  });
}

// ---------------------------------------------------------------------------------------------
// Operations

async function whoami(ctx: ConnectorContext): Promise<WhoAmI | null> {
  const page = await readSettings(ctx);
  if (!page) return null;
  // Accounts signed in through single sign-on without a password have no email field: the host names them.
  const who: WhoAmI = { account: page.email ?? new URL(instanceBase(ctx.account)).host };
  return page.sessions?.some((s) => s.current) ? { ...who, sessionId: CURRENT } : who;
}

async function listSessions(ctx: ConnectorContext): Promise<Session[]> {
  const { sessions } = await signedInSettings(ctx);
  return [...sessions, ...(await readApps(ctx))];
}

async function endOne(ctx: ConnectorContext, token: RailsToken, id: string): Promise<void> {
  if (id === CURRENT) {
    await submitRailsForm(ctx, site(ctx), '/auth/sign_out', 'delete', token);
  } else if (id.startsWith(APP_PREFIX)) {
    await submitRailsForm(ctx, site(ctx), `${APPS}/${encodeURIComponent(id.slice(APP_PREFIX.length))}`, 'delete', token);
  } else {
    await submitRailsForm(ctx, site(ctx), `/settings/sessions/${encodeURIComponent(id)}`, 'delete', token);
  }
}

async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<void> {
  const page = await signedInSettings(ctx);
  const all = [...page.sessions, ...(await readApps(ctx))];
  if (typeof target === 'object') {
    // Already gone (ended elsewhere): what was asked for holds; the engine lists again.
    if (all.some((s) => s.id === target.id)) await endOne(ctx, page.token, target.id);
    return;
  }
  if (!all.some((s) => s.current)) {
    throw connectorError('unsupported', { key: 'connErr_noCurrentAt', subs: ['Mastodon', new URL(instanceBase(ctx.account)).host] });
  }
  await endEach(all.filter((s) => !s.current), (s) => endOne(ctx, page.token, s.id));
  // This browser last, by signing out: its activation goes with it.
  if (target === 'all') await endOne(ctx, page.token, CURRENT);
}

/** The logo Mastodon's layout links as its mask icon (app/views/layouts/application.html.haml). */
const MASK_ICON = /\/logo-symbol-icon(?:-[\w]+)?\.svg(?:\?.*)?$/;

// Mastodon lives at its domain's root (it has no subfolder setting), so the instance is the origin;
// the mask icon suggests it and NodeInfo (routes.rb: nodeinfo/2.0) confirms it.
const detect = detector({ maskIcon: 'link[rel="mask-icon"]@href' }, async ({ url, values }, probe) => {
  if (!values.maskIcon.some((href) => MASK_ICON.test(href))) return null;
  const info = await probe('/nodeinfo/2.0');
  if (!info || info.status !== 200) return null;
  try {
    const body = JSON.parse(info.body) as { software?: { name?: unknown } } | null;
    return body?.software?.name === 'mastodon' ? url.origin : null;
  } catch {
    return null;
  }
});

export const mastodonConnector: Connector = {
  meta: {
    id: 'mastodon',
    name: 'Mastodon',
    origins: [],
    instanceUrl: {
      label: 'Mastodon server address',
      placeholder: 'https://mastodon.social',
      help: 'The address of your Mastodon server, as your browser shows it. Revoke lists its browser sessions and the apps you authorized, and ends them.',
    },
    manageUrl: (account) => `${instanceBase(account)}${EDIT}`,
    can: { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true, currentBySignOut: true },
  },
  whoami,
  listSessions,
  revoke,
  detect,
};
