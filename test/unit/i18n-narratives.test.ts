/**
 * What a sign-out says it did ("how Revoke knows") reaches a German reader in German: the real
 * "Any site" and OpenID Connect connectors, run against their loopback servers (the connector
 * harness's site-django, site-nonce, site-none and a real oidc-provider) with the German messages
 * file, as the worker would run them in a German browser. And an account Revoke named itself is
 * named in the reader's language.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import de from '../../_locales/de/messages.json';
import en from '../../_locales/en/messages.json';
import { betterAuthConnector } from '../../src/connectors/better-auth';
import { genericConnector } from '../../src/connectors/generic';
import { oidcConnector } from '../../src/connectors/oidc';
import { asSessionList, ConnectorError, type Connector, type SignOutProof } from '../../src/connectors/types';
import { messageSource } from '../../src/i18n/messages-file';
import { say, setMessageSource } from '../../src/i18n/t';
import { accountName } from '../../src/sessions/account-name';
import { caseAccount, contextFor, loadHtmlParser, newBrowser } from '../connectors/harness';
import { ServerPool } from '../connectors/servers';

const pool = new ServerPool();
beforeAll(() => loadHtmlParser());
afterAll(() => pool.closeAll());

beforeEach(() => setMessageSource(messageSource(de, 'de')));
afterEach(() => setMessageSource(messageSource(en, 'en')));

/** Signs a fresh browser in on `server` and asks the connector to sign it out; what it answered. */
async function signOut(connector: Connector, server: string, settings: Record<string, string> = {}, signIn: Record<string, unknown> = {}) {
  const s = await pool.get(server);
  await s.reset();
  const browser = newBrowser();
  const account = { ...caseAccount(connector, s), settings };
  await s.act('sign-in', signIn, browser);
  const before = await s.liveSessions(browser);
  const outcome = await connector.revoke!(contextFor(connector, account, browser), 'all').then(
    (proof) => ({ proof: proof as SignOutProof }),
    (error: unknown) => ({ error }),
  );
  const after = await s.liveSessions(browser);
  return { ...outcome, host: new URL(s.origin).host, endedOnServer: before.current !== null && !after.ids.includes(before.current) };
}

/** German text has no English sentence left in it (the words of the sites themselves aside). */
const noEnglish = (text: string) => expect(text).not.toMatch(/\b(Revoke (used|showed|found|could|answered)|the site|which|refused it|sign-out)\b/);

describe('"Any site" sign-out narratives in German', () => {
  it('a confirmed sign-out through a Django logout form: what was used and how the site refused the old login', async () => {
    const r = await signOut(genericConnector, 'site-django', {}, { user: 'alice' });
    if (!('proof' in r)) throw r.error;
    expect(r.endedOnServer).toBe(true);
    expect(r.proof.oldLoginRefused).toBe(true);
    expect(r.proof.seen).toBe(
      `Revoke hat die eigene Abmeldung von ${r.host} verwendet: „Log out“ (ein Formular an /accounts/logout/ auf /). `
      + 'Revoke hat „/“ die alte Anmeldung einmal gezeigt. Die Seite zeigte keine angemeldete Person mehr (keine Abmeldung darauf): Die Website hat sie abgewiesen.',
    );
    noEnglish(r.proof.seen);
  });

  it('a failed sign-out (the nonce-less address typed by hand, refused with 403): said in German, with its key for a page in another language', async () => {
    const r = await signOut(genericConnector, 'site-nonce', { logoutUrl: '/wp-login.php?action=logout' }, { user: 'alice' });
    if (!('error' in r)) throw new Error(`expected a refusal, got ${JSON.stringify(r.proof)}`);
    const e = r.error as ConnectorError;
    expect(e).toBeInstanceOf(ConnectorError);
    expect(e.kind).toBe('forbidden');
    expect(r.endedOnServer).toBe(false);
    expect(e.message).toBe(
      'Revoke hat die von Ihnen angegebene Abmeldeadresse verwendet (/wp-login.php). Das ist fehlgeschlagen (die Website hat sie abgewiesen). '
      + `Die Sitzung könnte daher auf dem Server noch gültig sein; die Cookies und Daten dieses Browsers für ${r.host} wurden gelöscht.`,
    );
    expect(e.said).toMatchObject({ key: 'say_genericFailed' });
    // A page in English says it again from the key (the parts were said when the failure was made).
    setMessageSource(messageSource(en, 'en'));
    expect(say(e.said!)).toMatch(/ It failed \(die Website hat sie abgewiesen\), so the session may still be valid on the server;/);
  });

  it('no usable sign-out: where Revoke looked and what it did not use, in German', async () => {
    const r = await signOut(genericConnector, 'site-none', {}, { user: 'alice' });
    if (!('error' in r)) throw new Error(`expected unsupported, got ${JSON.stringify(r.proof)}`);
    const e = r.error as ConnectorError;
    expect(e.kind).toBe('unsupported');
    expect(e.message).toMatch(new RegExp(`^Revoke hat auf den Seiten von ${r.host.replace(/\./g, '\\.')} keine Abmeldung gefunden \\(angesehen: „/“`));
    noEnglish(e.message);
  });
});

describe('OpenID Connect sign-out narrative in German', () => {
  it('answers the provider’s confirmation and says, in German, that the provider no longer holds the old login', async () => {
    const r = await signOut(oidcConnector, 'oidc-provider');
    if (!('proof' in r)) throw r.error;
    expect(r.endedOnServer).toBe(true);
    expect(r.proof.oldLoginRefused).toBe(true);
    expect(r.proof.seen).toBe(
      `Revoke hat auf der Abmeldeseite von ${r.host} mit „Yes, sign me out“ geantwortet (/session/end). `
      + `Revoke hat dieser Seite die alte Anmeldung noch einmal gezeigt, und sie hat nicht mehr gefragt: ${r.host} hat dafür keine Sitzung mehr.`,
    );
  });
});

describe('an account Revoke named itself', () => {
  const account = { label: 'Apps built on better-auth (app.example.com)', origin: 'https://app.example.com', connectorId: 'better-auth' };

  it('is named in the reader’s language, while a label the person typed stays as typed', () => {
    expect(accountName({ ...account, labelIsDefault: true })).toBe('Apps mit better-auth (app.example.com)');
    expect(accountName(account)).toBe('Apps built on better-auth (app.example.com)');
    expect(accountName({ ...account, label: 'Arbeit', labelIsDefault: undefined }, undefined, (a, h) => `${a} auf ${h}`)).toBe('Arbeit auf app.example.com');
  });
});

describe('session details in German', () => {
  it("a better-auth session's user agent is labelled in German, read from the real server", async () => {
    const s = await pool.get('better-auth');
    await s.reset();
    const browser = newBrowser();
    await s.act('sign-in', { userAgent: 'curl/8.5.0', ip: '198.51.100.2' }, browser);
    const { sessions } = asSessionList(await betterAuthConnector.listSessions!(contextFor(betterAuthConnector, caseAccount(betterAuthConnector, s), browser)));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.extra).toEqual({ 'User-Agent': 'curl/8.5.0' });
  });
});
