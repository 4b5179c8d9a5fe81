/**
 * The loopback servers connector cases run against, by the name a case gives in `server`. Each
 * adapter knows its server's truth (database, session map), so the harness can check that a
 * revoke really ended sessions, and which strings are secrets that must never reach the UI
 * (the contract: case-server.ts).
 */
import { startAuthentikCaseServer } from './authentik';
import { startBetterAuthCaseServer } from './better-auth';
import type { CaseServer, ServerStarter } from './case-server';
import { startDiscourseCaseServer } from './discourse';
import { startFrameworkCaseServer } from './framework-sites';
import { startGenericCaseServer } from './generic-site';
import { startGitHubCaseServer } from './github';
import { startGitLabCaseServer } from './gitlab';
import { startGoogleCaseServer } from './google';
import { startKeycloakCaseServer } from './keycloak';
import { startKratosCaseServer } from './kratos';
import { startMastodonCaseServer } from './mastodon';
import { startMatrixCaseServer } from './matrix';
import { startMicrosoftCaseServer } from './microsoft';
import { startNextcloudCaseServer } from './nextcloud';
import { startOidcCaseServer } from './oidc';
import { startWordPressCaseServer } from './wordpress';

export const SERVER_STARTERS: Record<string, ServerStarter> = {
  matrix: () => startMatrixCaseServer(),
  'better-auth': startBetterAuthCaseServer,
  'generic-site': startGenericCaseServer,
  'site-django': () => startFrameworkCaseServer('django'),
  'site-rails': () => startFrameworkCaseServer('rails'),
  'site-nonce': () => startFrameworkCaseServer('nonce'),
  'site-keeps': () => startFrameworkCaseServer('keeps'),
  'site-none': () => startFrameworkCaseServer('none'),
  'site-spa': () => startFrameworkCaseServer('spa'),
  discourse: () => startDiscourseCaseServer(),
  'discourse-subfolder': () => startDiscourseCaseServer({ basePath: '/forum' }),
  nextcloud: () => startNextcloudCaseServer(),
  mastodon: () => startMastodonCaseServer(),
  // A second instance on another loopback address: cookies are per host, not per port.
  'mastodon-b': () => startMastodonCaseServer({ host: '127.0.0.2' }),
  gitlab: () => startGitLabCaseServer(),
  // Hosted services, each on its own loopback port standing in for its fixed origin.
  github: () => startGitHubCaseServer(),
  google: () => startGoogleCaseServer(),
  'microsoft-personal': () => startMicrosoftCaseServer('personal'),
  'microsoft-work': () => startMicrosoftCaseServer('work'),
  // A real OpenID Connect provider (npm oidc-provider) with a relying party.
  'oidc-provider': () => startOidcCaseServer(),
  keycloak: startKeycloakCaseServer,
  kratos: startKratosCaseServer,
  authentik: startAuthentikCaseServer,
  // A real WordPress (MariaDB + PHP): started only when a case names it.
  wordpress: () => startWordPressCaseServer(),
};

/** Starts each named server once, on first use, and closes them all at the end. */
export class ServerPool {
  private readonly started = new Map<string, Promise<CaseServer>>();

  constructor(private readonly starters: Record<string, ServerStarter> = SERVER_STARTERS) {}

  get(name: string): Promise<CaseServer> {
    let server = this.started.get(name);
    if (!server) {
      const start = this.starters[name];
      if (!start) throw new Error(`no test server named "${name}" (known: ${Object.keys(this.starters).join(', ')})`);
      server = start();
      this.started.set(name, server);
    }
    return server;
  }

  async closeAll(): Promise<void> {
    const all = [...this.started.values()];
    this.started.clear();
    await Promise.all(all.map(async (s) => (await s).close()));
  }
}
