/**
 * "Any site": for a site without a dedicated connector, this browser's own login there. It sees
 * only whether this browser holds cookies for the site. With the site's logout address it ends the
 * session on the server (the logout, then this browser's cookies and site data); without one it
 * claims no server sign-out at all (capabilities), and the engine signs this browser out alone,
 * saying that a copied cookie may keep working until it expires.
 */
import {
  ConnectorError, type Capabilities, type Connector, type ConnectorCase, type ConnectorContext, type LinkedAccountRef, type RevokeTarget, type Session, type WhoAmI,
} from './types';
import { THIS_BROWSER } from './shared';

/** The one pseudo-session's id. */
export { THIS_BROWSER };

/**
 * Per-account settings this connector reads (ConnectorMeta has no field for them yet):
 * `logoutUrl`, same-origin, absolute or a path; `logoutMethod`, 'GET' (default) or 'POST'.
 */
export const GENERIC_SETTINGS = {
  logoutUrl: { label: 'Logout address (optional)', placeholder: '/logout', help: "The address the site's own “Sign out” link or button uses. Without it only this browser is cleared and the site still considers the session valid." },
  logoutMethod: { label: 'Logout method', options: ['GET', 'POST'] },
} as const;

function host(ctx: ConnectorContext): string {
  return new URL(ctx.account.origin).host;
}

/** The logout address as an absolute URL on the account's origin, or why it cannot be used. */
export function checkLogoutUrl(origin: string, raw: string): { ok: true; url: string } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(raw.trim(), origin);
  } catch {
    return { ok: false, error: 'The logout address is not a web address.' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, error: 'The logout address must start with https://.' };
  if (url.origin !== new URL(origin).origin) return { ok: false, error: `The logout address must be on ${new URL(origin).origin}.` };
  return { ok: true, url: url.href };
}

async function whoami(ctx: ConnectorContext): Promise<WhoAmI | null> {
  const names = await ctx.local.cookieNames(ctx.account.origin);
  return names.length > 0 ? { account: host(ctx), sessionId: THIS_BROWSER } : null;
}

async function listSessions(ctx: ConnectorContext): Promise<Session[]> {
  const names = await ctx.local.cookieNames(ctx.account.origin);
  if (names.length === 0) return [];
  const list = names.join(', ');
  return [
    {
      id: THIS_BROWSER,
      current: true,
      device: 'This browser',
      // Cookie names only: their values are the credentials.
      extra: { Cookies: list.length > 300 ? `${list.slice(0, 300)}…` : list },
    },
  ];
}

/** Calls the site's logout address; resolves when the site accepted, else the failure. */
async function callLogout(ctx: ConnectorContext, url: string): Promise<ConnectorError | null> {
  const method = ctx.account.settings.logoutMethod?.toUpperCase() === 'POST' ? 'POST' : 'GET';
  try {
    // Logouts usually answer with a redirect, often to another site: not followed, not read.
    const res = await ctx.fetch(url, method === 'POST' ? { method, form: {}, redirect: 'manual' } : { method, redirect: 'manual' });
    const s = res.status;
    // 0: the browser's hidden redirect; 401: the site already sees no session.
    if (s === 0 || s === 401 || (s >= 200 && s < 400)) return null;
    const detail = `HTTP ${s}`;
    if (s === 403) return new ConnectorError('forbidden', 'the site refused it', detail);
    if (s === 404 || s === 405) return new ConnectorError('page-changed', 'the site does not know that address', detail);
    return new ConnectorError('server', `the site answered HTTP ${s}`, detail);
  } catch (e) {
    if (e instanceof ConnectorError) return e;
    throw e;
  }
}

/**
 * Ending the session on the server needs the site's sign-out address: without one, all Revoke can do
 * is clear this browser (localSignOut), and it must not say the site ended anything.
 */
function capabilities(account: LinkedAccountRef): Capabilities {
  const canEnd = Boolean(account.settings.logoutUrl?.trim());
  return { ...genericConnector.meta.can, revokeOne: canEnd, revokeAll: canEnd };
}

async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<void> {
  if (target === 'others') throw new ConnectorError('unsupported', `Revoke cannot see ${host(ctx)}'s other sessions, only this browser's login.`);
  if (target !== 'all' && target.id !== THIS_BROWSER) throw new ConnectorError('unsupported', `Only this browser's login at ${host(ctx)} can be ended here.`);
  const raw = ctx.account.settings.logoutUrl?.trim();
  if (!raw) throw new ConnectorError('unsupported', `Revoke knows no sign-out address for ${host(ctx)}, so it cannot end the session there; it can only sign this browser out.`);
  const checked = checkLogoutUrl(ctx.account.origin, raw);
  if (!checked.ok) throw new ConnectorError('permission', checked.error);
  const failure = await callLogout(ctx, checked.url);
  // Cleared even when the logout failed: the person asked for this browser to be signed out.
  await ctx.local.clear(ctx.account.origin);
  if (failure) {
    throw new ConnectorError(
      failure.kind,
      `Cleared this browser's cookies and data for ${host(ctx)}, but its logout address failed (${failure.message}): the session may still be valid on the server.`,
      failure.detail,
    );
  }
}

// Cases run against test/connectors/servers/generic-site.ts (a session cookie site on loopback).
const cases: ConnectorCase[] = [
  {
    name: 'signed out: no cookies, nothing to list',
    server: 'generic-site',
    steps: [
      { do: 'whoami', expect: null },
      { do: 'list', expect: { count: 0 } },
    ],
  },
  {
    name: "signed in: one pseudo-session for this browser's login",
    server: 'generic-site',
    steps: [
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'whoami', expect: { account: 're:^127\\.0\\.0\\.1:\\d+$', sessionId: THIS_BROWSER } },
      { do: 'list', expect: { count: 1, currentCount: 1, match: [{ id: THIS_BROWSER, current: true, device: 'This browser', extra: { Cookies: 're:\\bsid\\b' } }] } },
    ],
  },
  {
    name: "signs out through the site's logout address (GET, redirect) and clears this browser",
    server: 'generic-site',
    steps: [
      { do: 'server', action: 'account-settings', args: { logoutUrl: '/logout' } },
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'all', expect: 'ok' },
      { do: 'whoami', expect: null },
    ],
  },
  {
    name: 'signs out through a POST logout that checks the Origin',
    server: 'generic-site',
    steps: [
      { do: 'server', action: 'account-settings', args: { logoutUrl: '/logout', logoutMethod: 'POST' } },
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'all', expect: 'ok' },
      { do: 'list', expect: { count: 0 } },
    ],
  },
  {
    name: 'without a sign-out address, ends nothing on the server and says so (this browser is cleared by the engine)',
    server: 'generic-site',
    steps: [
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'all', expect: { error: 'unsupported' } },
      { do: 'list', expect: { count: 1 } },
    ],
  },
  {
    name: 'cannot end other sessions',
    server: 'generic-site',
    steps: [
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'others', expect: { error: 'unsupported' } },
    ],
  },
  {
    name: 'refuses a logout address on another site',
    server: 'generic-site',
    steps: [
      { do: 'server', action: 'account-settings', args: { logoutUrl: 'https://evil.example/logout' } },
      { do: 'server', action: 'sign-in', args: { user: 'alice' } },
      { do: 'revoke', target: 'all', expect: { error: 'permission' } },
      { do: 'list', expect: { count: 1 } },
    ],
  },
];

export const genericConnector: Connector = {
  meta: {
    id: 'generic',
    name: 'Any site',
    origins: [],
    instanceUrl: {
      label: 'Site address',
      placeholder: 'https://example.com',
      help: "The site's address. Revoke shows whether this browser is signed in there and can sign this browser out; it cannot see the site's other sessions.",
    },
    manageUrl: (account) => `${account.origin}/`,
    can: { list: true, revokeOne: true, revokeOthers: false, revokeAll: true, localSignOut: true },
  },
  capabilities,
  whoami,
  listSessions,
  revoke,
  cases,
};
