/**
 * The case adapter for the real OpenID Connect provider (test/servers/oidc-provider/server.mjs,
 * npm oidc-provider). What is live is what the provider's own session store holds: its Session
 * rows with an account signed in; this browser's is the one its `_session` cookie names.
 *
 * Actions: 'sign-in' (this browser, through the relying party, the provider's sign-in form and its
 * consent page), 'sign-in-elsewhere' (another browser, same way), 'start-sign-in' (this browser
 * stops at the sign-in form: cookies, nobody signed in), 'mode' {mode} (see server.mjs).
 */
import { startOidcProvider, type OidcMode, type OidcProviderTestServer } from '../../servers/oidc-provider/server.mjs';
import { CookieJar, jarFetch } from '../cookie-jar';
import type { CaseServer } from './case-server';

export interface OidcCaseServer extends CaseServer {
  native: OidcProviderTestServer;
}

/** oidc-provider's session cookie (its default cookie names: lib/helpers/defaults.js, cookies.names). */
const SESSION_COOKIE = '_session';

export async function startOidcCaseServer(): Promise<OidcCaseServer> {
  const op = await startOidcProvider();
  return {
    native: op,
    origin: op.origin,
    instanceUrl: op.issuer,
    async act(action, args, browser) {
      if (action === 'sign-in') await op.signInWith(browser.fetch);
      else if (action === 'sign-in-elsewhere') await op.signInWith(jarFetch(new CookieJar()), 'alice');
      else if (action === 'start-sign-in') await op.startSignInWith(browser.fetch);
      else if (action === 'mode' && typeof args.mode === 'string') op.modes.add(args.mode as OidcMode);
      else throw new Error(`server "oidc-provider" has no action "${action}"`);
    },
    async liveSessions(browser) {
      const ids = op.signedIn().map((s) => s.id);
      const mine = browser.jar.get(`${op.origin}/`, SESSION_COOKIE);
      return { ids, current: mine !== undefined && ids.includes(mine) ? mine : null };
    },
    secrets: (browser) => [
      ...op.sessions().flatMap((s) => [s.id, s.xsrf ?? '']),
      ...browser.jar.all().map((c) => c.value),
    ].filter((s) => s.length >= 16),
    async reset() {
      op.reset();
    },
    close: async () => void (await op.close()),
  };
}
