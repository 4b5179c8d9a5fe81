/**
 * Keycloak (any realm), read from keycloak/keycloak as the code index stores it (each file at its
 * own commit, Keycloak 26 era): services/.../resources/account/SessionResource.java @0957572,
 * AccountLoader.java @03f2ff1 (Accept: application/json selects the REST service; bearer only),
 * core/.../representations/account/DeviceRepresentation.java @54700803 and
 * SessionRepresentation.java, services/.../protocol/oidc/endpoints/AuthorizationEndpointChecker.java
 * @01500c2 (redirect URI, response type and mode, PKCE checks), js/apps/account-ui/src/api/
 * methods.ts @01498e8 (what the console calls: /sessions/devices, DELETE /sessions[/{id}]).
 *
 * - The account REST API takes only a bearer token of the `account-console` client: Revoke gets one
 *   as the console does, from this browser's Keycloak cookie (./keycloak-token.ts), per operation.
 * - GET {realm}/account/sessions/devices -> [{os, osVersion, device, mobile, lastAccess, current?,
 *   sessions: [{id, ipAddress, started, lastAccess, expires (Unix s), browser ("Firefox/133.0"),
 *   current? (only when true), clients: [{clientId, clientName}]}]}]: devices are grouped by os +
 *   osVersion, so each session is listed with its device's os.
 * - DELETE {realm}/account/sessions/{id} (204, also for an id that is not there), DELETE
 *   .../sessions?current=false (the others) or =true (all, this browser's too); deletes need the
 *   manage-account role: 403 without it. A refused token is 401.
 * - The instance is the realm's address, {server}/realms/{realm} (or /auth/realms/{realm} before
 *   Keycloak 17); its discovery document names it as issuer.
 */
import { listOf, objectOf, optionalString, pageChanged, readJson, type Service } from './json-api';
import { consoleToken } from './keycloak-token';
import { connectorError, instanceBase, isRecord } from './common';
import { ConnectorError, type Connector, type ConnectorContext, type RevokeTarget, type Session, type WhoAmI } from './types';

function service(ctx: ConnectorContext): Service {
  return { name: 'Keycloak', host: new URL(ctx.account.origin).host };
}

function signedOut(ctx: ConnectorContext): ConnectorError {
  return connectorError('signed-out', { key: 'connErr_signedOutAt', subs: ['Keycloak', service(ctx).host] });
}

/**
 * Runs `use` with a fresh console token; a token refused once (expired on arrival, a session
 * refreshed meanwhile) is asked for again, once. Null: signed out.
 */
async function withToken<T>(ctx: ConnectorContext, use: (token: string) => Promise<T | 'refused'>): Promise<T | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = await consoleToken(ctx, service(ctx), instanceBase(ctx.account));
    if (token === null) return null;
    const result = await use(token);
    if (result !== 'refused') return result;
  }
  throw connectorError('forbidden', { key: 'words_kcTokenTwice', subs: [service(ctx).host] }, 'HTTP 401 twice');
}

/** One account REST call. 'refused' for a 401 (the caller asks for a new token). */
async function accountApi(ctx: ConnectorContext, token: string, path: string, method: 'GET' | 'DELETE' = 'GET') {
  const res = await ctx.fetch(`${instanceBase(ctx.account)}/account${path}`, { method, headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
  const answer = await readJson(service(ctx), res, `/account${path.replace(/^\/sessions\/[^?]+/, '/sessions/…')}`);
  if (answer.status === 401) return 'refused' as const;
  if (answer.status === 403) {
    throw connectorError('forbidden', { key: 'words_kcNoRole', subs: [service(ctx).host] }, answer.detail);
  }
  if (answer.status === 404) throw pageChanged(service(ctx), answer.detail);
  return answer;
}

// ---------------------------------------------------------------------------------------------
// Reading

function seconds(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v * 1000 : undefined;
}

function toSessions(ctx: ConnectorContext, devices: unknown[]): Session[] {
  const svc = service(ctx);
  return devices.flatMap((d, i) => {
    if (!isRecord(d) || !Array.isArray(d.sessions)) throw pageChanged(svc, `devices[${i}] has no sessions`);
    const os = optionalString(svc, d, 'os', `devices[${i}]`);
    const osVersion = optionalString(svc, d, 'osVersion', `devices[${i}]`);
    const model = optionalString(svc, d, 'device', `devices[${i}]`);
    return d.sessions.map((s, j): Session => {
      const where = `devices[${i}].sessions[${j}]`;
      if (!isRecord(s) || typeof s.id !== 'string' || !s.id) throw pageChanged(svc, `${where} has no id`);
      const session: Session = { id: s.id, current: s.current === true, extra: {} };
      const [browser, version] = (optionalString(svc, s, 'browser', where) ?? '').split('/');
      // "Other" and "Unknown" are what Keycloak says when it could not tell: nothing to show.
      if (browser && browser !== 'Other') session.browser = version && version !== 'Unknown' ? `${browser} ${version}` : browser;
      if (os && os !== 'Other') session.os = osVersion && osVersion !== 'Unknown' ? `${os} ${osVersion}` : os;
      if (model && model !== 'Other') session.device = model;
      else if (d.mobile === true) session.device = 'Phone';
      const ip = optionalString(svc, s, 'ipAddress', where);
      if (ip) session.ip = ip;
      const started = seconds(s.started);
      const last = seconds(s.lastAccess);
      const expires = seconds(s.expires);
      if (started) session.createdAt = started;
      if (last) session.lastActiveAt = last;
      if (expires) session.expiresAt = expires;
      const clients = Array.isArray(s.clients)
        ? s.clients.flatMap((c) => (isRecord(c) && typeof c.clientId === 'string' ? [clientLabel(c)] : []))
        : [];
      if (clients.length > 0) session.extra.Applications = clients.join(', ');
      return session;
    });
  });
}

/** A client's name, unless it is a message key of the theme ("${client_account-console}"). */
function clientLabel(c: Record<string, unknown>): string {
  return typeof c.clientName === 'string' && c.clientName && !c.clientName.startsWith('${') ? c.clientName : String(c.clientId);
}

async function readSessions(ctx: ConnectorContext, token: string): Promise<Session[] | 'refused'> {
  const answer = await accountApi(ctx, token, '/sessions/devices');
  if (answer === 'refused') return answer;
  return toSessions(ctx, listOf(service(ctx), answer));
}

// ---------------------------------------------------------------------------------------------
// Operations

async function whoami(ctx: ConnectorContext): Promise<WhoAmI | null> {
  return withToken(ctx, async (token) => {
    const answer = await accountApi(ctx, token, '/');
    if (answer === 'refused') return answer;
    const user = objectOf(service(ctx), answer);
    const username = optionalString(service(ctx), user, 'username', 'account');
    if (!username) throw pageChanged(service(ctx), `${answer.detail}: no username`);
    const email = optionalString(service(ctx), user, 'email', 'account');
    return { account: email && email !== username ? `${username} (${email})` : username };
  });
}

async function listSessions(ctx: ConnectorContext): Promise<Session[]> {
  const sessions = await withToken(ctx, (token) => readSessions(ctx, token));
  if (sessions === null) throw signedOut(ctx);
  return sessions;
}

async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<void> {
  const path = target === 'others' ? '/sessions?current=false' : target === 'all' ? '/sessions?current=true' : `/sessions/${encodeURIComponent(target.id)}`;
  const done = await withToken(ctx, async (token) => {
    const answer = await accountApi(ctx, token, path, 'DELETE');
    if (answer === 'refused') return answer;
    // SessionResource answers 204 No Content; anything else (a page with 200) did not end anything we know of.
    if (answer.status !== 204) throw pageChanged(service(ctx), answer.detail);
    return true;
  });
  if (done === null) throw signedOut(ctx);
}

/** The realm's address from what the person typed (a console or realm address), confirmed by its discovery document. */
async function resolveInstance(ctx: ConnectorContext): Promise<string> {
  const typed = new URL(instanceBase(ctx.account));
  const realm = /^(.*?\/realms\/[^/]+)/.exec(typed.pathname)?.[1];
  if (!realm) {
    throw connectorError('page-changed', { key: 'words_kcRealmAddress' }, typed.pathname);
  }
  const base = `${typed.origin}${realm}`;
  const path = '/.well-known/openid-configuration';
  const answer = await readJson(service(ctx), await ctx.fetch(`${base}${path}`, { headers: { accept: 'application/json' } }), path);
  if (answer.status !== 200) throw pageChanged(service(ctx), answer.detail);
  const issuer = objectOf(service(ctx), answer).issuer;
  if (issuer !== base) {
    throw connectorError('page-changed', { key: 'words_kcOtherAddress', subs: [typed.host] }, `issuer ${typeof issuer === 'string' ? issuer.slice(0, 100) : 'missing'}`);
  }
  return base;
}

export const keycloakConnector: Connector = {
  meta: {
    id: 'keycloak',
    name: 'Keycloak',
    origins: [],
    instanceUrl: {
      label: 'Keycloak realm address',
      placeholder: 'https://id.example.com/realms/myrealm',
      help: 'The address of your Keycloak realm (your account page’s address works too). Revoke uses your sign-in in this browser, as Keycloak’s account page does; it never asks for your password.',
    },
    // js/apps/account-ui routes: the Device activity page.
    manageUrl: (account) => `${instanceBase(account)}/account/account-security/device-activity`,
    can: { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true, sessionStart: true },
  },
  whoami,
  listSessions,
  revoke,
  resolveInstance,
};
