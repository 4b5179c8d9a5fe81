/**
 * Google accounts. Google lets no app list or end the devices an account is signed in on (the
 * person sees them at myaccount.google.com/device-activity and ends them there); Revoke says so and
 * links there. What Revoke does here is what the browser itself can do, read from Chromium's sign-in
 * code (chromium/chromium, as the code index stores it):
 *
 * - Who am I: google_apis/gaia/gaia_urls.cc (kListAccountsSuffix "ListAccounts?json=standard",
 *   kServiceLogoutUrlSuffix "Logout", both on the GAIA origin accounts.google.com) and
 *   google_apis/gaia/gaia_auth_util.cc @0449503c (ParseListAccountsData): the answer is a JSON
 *   array whose item 1 is the list of accounts signed in to this browser, primary first; in each,
 *   [3] is the (display) email, [9] 0 when the session is no longer valid (absent: valid),
 *   [10] the Gaia id (required: entries without one are skipped), [14] 1 when the account is still
 *   listed but signed out. Chromium sends `source=ChromiumBrowser` (and `gpsia=1`); so does Revoke.
 * - Sign this browser out: GET accounts.google.com/Logout, which expires the Google login cookies
 *   (SID, HSID, SSID, APISID, SAPISID, the __Secure-*PSID family: Domain=.google.com, which the
 *   browser sends to accounts.google.com, so clearing that origin removes them) and redirects. The
 *   engine then checks ListAccounts is empty and clears the origin's cookies and site data.
 *
 * Evidence level: loopback stand-in (test/connectors/servers/google.ts; cases in
 * test/connectors/cases/google.ts) with the same cookies,
 * redirect and ListAccounts format; not run against Google itself.
 */
import { PROVIDER_CAN, providerChanged, providerSignOut } from './provider-sign-out';
import { connectorError } from './common';
import { ConnectorError, type Connector, type ConnectorContext, type RevokeTarget, type WhoAmI } from './types';

const SERVICE = 'Google';
export const GOOGLE_ORIGIN = 'https://accounts.google.com';
const LIST_ACCOUNTS = '/ListAccounts?gpsia=1&source=ChromiumBrowser&json=standard';
const LOGOUT = '/Logout?source=ChromiumBrowser';
const DEVICE_ACTIVITY = 'https://myaccount.google.com/device-activity';

export interface ListedAccount {
  email: string;
  /** False when Google says the session of that account needs a new sign-in ([9] = 0) or is signed out ([14] = 1). */
  signedIn: boolean;
}

/** ParseListAccountsData as Chromium reads it; null when the answer is not that shape. */
export function parseListAccounts(body: unknown): ListedAccount[] | null {
  if (!Array.isArray(body) || body.length < 2 || !Array.isArray(body[1])) return null;
  const out: ListedAccount[] = [];
  for (const entry of body[1] as unknown[]) {
    if (!Array.isArray(entry)) continue;
    const email = entry[3];
    const gaiaId = entry[10];
    if (typeof email !== 'string' || email === '' || typeof gaiaId !== 'string' || gaiaId === '') continue;
    const valid = typeof entry[9] === 'number' ? entry[9] !== 0 : true;
    const signedOut = typeof entry[14] === 'number' ? entry[14] !== 0 : false;
    out.push({ email, signedIn: valid && !signedOut });
  }
  return out;
}

async function listAccounts(ctx: ConnectorContext): Promise<ListedAccount[]> {
  const res = await ctx.fetch(`${ctx.account.origin}${LIST_ACCOUNTS}`, { headers: { accept: 'application/json' } });
  if (res.status >= 500) throw connectorError('server', { key: 'connErr_server', subs: ['Google', String(res.status)] }, `HTTP ${res.status} /ListAccounts`);
  if (res.status !== 200) throw providerChanged(ctx, SERVICE, `HTTP ${res.status} /ListAccounts`);
  const accounts = parseListAccounts(await res.json());
  if (accounts === null) throw providerChanged(ctx, SERVICE, '/ListAccounts: not the ["gaia.l.a.r", [accounts]] list Chromium reads');
  return accounts;
}

async function whoami(ctx: ConnectorContext): Promise<WhoAmI | null> {
  const signedIn = (await listAccounts(ctx)).filter((a) => a.signedIn);
  // Every account signed in to this browser: the sign-out ends them all.
  return signedIn.length === 0 ? null : { account: signedIn.map((a) => a.email).join(', ') };
}

async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<void> {
  if (target !== 'all') throw connectorError('unsupported', { key: 'words_providerNoOthers', subs: ['Google'] });
  if ((await whoami(ctx)) === null) throw connectorError('signed-out', { key: 'words_googleSignedOut' });
  await providerSignOut(ctx, SERVICE, LOGOUT);
}

export const googleConnector: Connector = {
  meta: {
    id: 'google',
    name: 'Google',
    origins: [GOOGLE_ORIGIN],
    manageUrl: () => DEVICE_ACTIVITY,
    can: PROVIDER_CAN,
    elsewhere: { provider: 'Google', pages: [{ kind: 'devices', url: DEVICE_ACTIVITY }] },
  },
  whoami,
  revoke,
};
