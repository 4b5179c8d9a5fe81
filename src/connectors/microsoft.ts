/**
 * Microsoft accounts: personal (Microsoft account, login.live.com) and work or school (Microsoft
 * Entra ID, login.microsoftonline.com), one connector each: their sign-in origins, cookies and
 * sign-out addresses differ. Neither lets an app list or end the account's other devices; Revoke
 * says so and links to Microsoft's own pages. What Revoke does is sign this browser out.
 *
 * Sources (Microsoft's documentation as the search index stores it):
 * - Work or school sign-out: the v2.0 end-session endpoint
 *   https://login.microsoftonline.com/common/oauth2/v2.0/logout (the `end_session_endpoint` of
 *   the tenant's OpenID configuration; what MSAL.js's logout navigates to,
 *   @azure/msal-browser EndSessionRequest). Without a post_logout_redirect_uri it answers with
 *   its "You signed out" page; either way it expires the session cookies.
 * - Work or school cookies: learn.microsoft.com/entra/identity/authentication/
 *   concept-authentication-web-browser-cookies: ESTSAUTH (transient) and ESTSAUTHPERSISTENT
 *   (persistent) hold the SSO session; ESTSAUTHLIGHT only its id for script. Who-am-I is
 *   "this browser holds one of the two session cookies": Entra has no documented endpoint that
 *   names the signed-in user to a browser without an app registration.
 * - Ending every session of a work account: Microsoft Graph `POST /users/{id}/revokeSignInSessions`
 *   (learn.microsoft.com/graph/api/user-revokesigninsessions: "invalidates all the refresh tokens
 *   issued to applications for a user (and session cookies in a user's browser)"), which needs
 *   User.RevokeSessions.All and an app registration: said to the person, never done by Revoke.
 * - Personal sign-out: https://login.live.com/logout.srf (Microsoft KB 2454326, "WLID logout").
 *   The personal account's login cookies on login.live.com (__Host-MSAAUTH, MSPAuth, WLSSC) are
 *   not documented by Microsoft, and these names were not checked against login.live.com for this
 *   connector: a renamed cookie shows as "not signed in" here (a false "signed out", never a false
 *   "ended": an ended session is only reported after who-am-I, and the cookies are cleared either
 *   way).
 * - The person's own pages: account.live.com/Activity and account.microsoft.com/devices
 *   (personal); mysignins.microsoft.com/my-sign-ins and /security-info (work or school).
 *
 * Evidence level: loopback stand-ins (test/connectors/servers/microsoft.ts; cases in
 * test/connectors/cases/microsoft.ts) with the same cookies,
 * redirects and "signed out" page; not run against Microsoft itself.
 */
import { connectorError, THIS_BROWSER } from './common';
import { heldCookies, PROVIDER_CAN, providerHost, providerSignOut } from './provider-sign-out';
import { ConnectorError, type Connector, type ConnectorContext, type Elsewhere, type RevokeTarget, type WhoAmI } from './types';

interface MicrosoftKind {
  id: 'microsoft' | 'microsoft-work';
  name: string;
  origin: string;
  signOutPath: string;
  /** Any one of them present: this browser is signed in. */
  sessionCookies: readonly string[];
  elsewhere: Elsewhere;
}

export const PERSONAL: MicrosoftKind = {
  id: 'microsoft',
  name: 'Microsoft account (personal)',
  origin: 'https://login.live.com',
  signOutPath: '/logout.srf',
  sessionCookies: ['__Host-MSAAUTH', 'MSPAuth', 'WLSSC'],
  elsewhere: {
    provider: 'Microsoft',
    pages: [
      { kind: 'activity', url: 'https://account.live.com/Activity' },
      { kind: 'devices', url: 'https://account.microsoft.com/devices' },
    ],
  },
};

export const WORK: MicrosoftKind = {
  id: 'microsoft-work',
  name: 'Microsoft work or school account',
  origin: 'https://login.microsoftonline.com',
  signOutPath: '/common/oauth2/v2.0/logout',
  sessionCookies: ['ESTSAUTH', 'ESTSAUTHPERSISTENT'],
  elsewhere: {
    provider: 'Microsoft',
    pages: [
      { kind: 'activity', url: 'https://mysignins.microsoft.com/my-sign-ins' },
      { kind: 'security', url: 'https://mysignins.microsoft.com/security-info' },
    ],
    admin: 'entra',
  },
};

function connectorFor(kind: MicrosoftKind): Connector {
  async function whoami(ctx: ConnectorContext): Promise<WhoAmI | null> {
    // Only that a session exists here: the account's name is not given to a browser without an app.
    return (await heldCookies(ctx, kind.sessionCookies)).length > 0 ? { account: providerHost(ctx), sessionId: THIS_BROWSER } : null;
  }

  async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<void> {
    if (target !== 'all') throw connectorError('unsupported', { key: 'words_providerNoOthers', subs: ['Microsoft'] });
    if ((await whoami(ctx)) === null) throw connectorError('signed-out', { key: kind.id === 'microsoft' ? 'words_msSignedOutPersonal' : 'words_msSignedOutWork' });
    await providerSignOut(ctx, 'Microsoft', kind.signOutPath);
  }

  return {
    meta: {
      id: kind.id,
      name: kind.name,
      origins: [kind.origin],
      manageUrl: () => kind.elsewhere.pages[0]!.url,
      can: PROVIDER_CAN,
      elsewhere: kind.elsewhere,
    },
    whoami,
    revoke,
  };
}

export const microsoftConnector = connectorFor(PERSONAL);
export const microsoftWorkConnector = connectorFor(WORK);
