/**
 * An OpenID Connect provider at any issuer URL: this browser's sign-in at the provider (the single
 * sign-on that signs people in to other apps), ended through the provider's own RP-initiated logout.
 * Written from the specs and from panva/node-oidc-provider 9.13.3 (npm `oidc-provider`, OpenID
 * Certified), the real provider the tests run (test/servers/oidc-provider/):
 *   - OpenID Connect Discovery 1.0 §4: the document at <issuer>/.well-known/openid-configuration;
 *     its `issuer` MUST be identical to the URL it was fetched for (§4.3), so a different one is a
 *     changed (or wrong) page, never trusted.
 *   - RP-Initiated Logout 1.0 §2: `end_session_endpoint`; without an `id_token_hint` the OP MUST
 *     ask the End-User whether to log out. oidc-provider (lib/actions/end_session.js, renderLogout)
 *     asks only a session with an `accountId` ("Do you want to sign-out from …?", the default
 *     logoutSource in lib/helpers/defaults.js: a form with a hidden `xsrf`, and outside it a
 *     `logout=yes` button naming the form); a session without one gets an auto-submitting form_post
 *     (lib/response_modes/form_post.js) that asks nobody. The confirmation is POSTed to
 *     end_session_confirm, which checks `xsrf` (lib/shared/xsrf.js: 400 invalid_request when it
 *     does not match), destroys the session and answers 303.
 *
 * Who am I: a provider has no way to say who is signed in to a browser it does not issue tokens to
 * (userinfo needs an access token; a `prompt=none` request needs a registered client and would
 * issue a code). So the account stays unknown ("signed in", named by the person's label), and
 * signed in or out comes from the provider's own logout page: it asks this browser to confirm a
 * sign-out (signed in), or it goes on without asking (nothing to sign out). No cookie for the
 * issuer at all: signed out, without asking the provider.
 *
 * Sign out: the confirmation is answered as the person would (the form's hidden fields and its
 * "yes" button), then the old login is shown once to the logout page again: asking again means the
 * provider kept the session (not confirmed); going on without asking means it ended it. Then this
 * browser's cookies and site data for the issuer go.
 */
import { excerpt } from './context';
import { findSignOut, type SignOutControl } from './sign-out/finder';
import { t, type Said } from '../i18n/t';
import { connectorError, failureText, instanceBase, isRecord, THIS_BROWSER } from './common';
import { scanHtml } from '../lib/html-scan';
import {
  ConnectorError, type Connector, type ConnectorContext, type KeptLogin, type RevokeTarget, type Session, type SignOutProof, type WhoAmI,
} from './types';

const DISCOVERY = '/.well-known/openid-configuration';

interface Discovery {
  issuer: string;
  /** Absent: the provider offers relying parties no sign-out. */
  endSession: string | null;
}

function host(ctx: ConnectorContext): string {
  return new URL(ctx.account.origin).host;
}

function pageChanged(ctx: ConnectorContext, what: string, detail: string): ConnectorError {
  return connectorError('page-changed', { key: 'words_oidcChanged', subs: [host(ctx)] }, `${what}: ${detail}`);
}

/** The issuer as Discovery compares it: the URL without a trailing slash. */
function issuerOf(ctx: ConnectorContext): string {
  return instanceBase(ctx.account);
}

async function discover(ctx: ConnectorContext, issuer = issuerOf(ctx)): Promise<Discovery> {
  const res = await ctx.fetch(`${issuer}${DISCOVERY}`, { headers: { accept: 'application/json' } });
  if (res.status >= 500) throw connectorError('server', { key: 'connErr_server', subs: [host(ctx), String(res.status)] }, `HTTP ${res.status} ${DISCOVERY}`);
  if (res.status !== 200) throw pageChanged(ctx, `no OpenID Connect discovery document at ${new URL(`${issuer}${DISCOVERY}`).pathname}`, `HTTP ${res.status}`);
  const doc = await res.json();
  if (!isRecord(doc) || typeof doc.issuer !== 'string' || typeof doc.authorization_endpoint !== 'string') {
    throw pageChanged(ctx, 'its discovery document is not an OpenID Connect one (no issuer or authorization_endpoint)', excerpt(JSON.stringify(doc) ?? ''));
  }
  if (doc.issuer.replace(/\/+$/, '') !== issuer) {
    throw pageChanged(ctx, `its discovery document names another issuer (${excerpt(doc.issuer, 80)})`, `expected ${issuer}`);
  }
  const endSession = doc.end_session_endpoint;
  if (endSession !== undefined && typeof endSession !== 'string') throw pageChanged(ctx, 'its end_session_endpoint is not an address', excerpt(JSON.stringify(endSession)));
  return { issuer, endSession: endSession ?? null };
}

/** The logout endpoint, which must be on the issuer's origin (the only one Revoke has access to). */
function logoutEndpoint(ctx: ConnectorContext, d: Discovery): string {
  if (!d.endSession) {
    throw connectorError('unsupported', { key: 'words_oidcNoEndSession', subs: [host(ctx)] });
  }
  let url: URL;
  try {
    url = new URL(d.endSession);
  } catch {
    throw pageChanged(ctx, 'its end_session_endpoint is not an address', excerpt(d.endSession));
  }
  if (url.origin !== ctx.account.origin) {
    throw connectorError('unsupported', { key: 'words_oidcOtherSite', subs: [host(ctx), url.origin] });
  }
  return url.href;
}

/** What the provider's logout page does with this browser's session. */
type LogoutPage =
  | { kind: 'asks'; control: SignOutControl }
  | { kind: 'proceeds' }
  | { kind: 'other'; detail: string };

/**
 * A page that goes on without a person: one form to the provider's own origin, POSTed, made only of
 * hidden fields, with the script that submits it (oidc-provider's form_post). Its <noscript>
 * fallback button is text for browsers without script, not a question.
 */
function autoSubmits(html: string, page: string): boolean {
  let forms = 0;
  let hiddenOnly = true;
  let posted = false;
  let script = false;
  let inForm = false;
  for (const token of scanHtml(html)) {
    if (token.type === 'end') {
      if (token.name === 'form') inForm = false;
      continue;
    }
    if (token.type !== 'start') continue;
    const { name, attrs } = token;
    if (name === 'script') script = true;
    if (name === 'form') {
      forms++;
      inForm = true;
      let target: URL | null = null;
      try {
        target = new URL(attrs.action ?? '', page);
      } catch {
        // below, as not posted
      }
      posted = (attrs.method ?? '').toLowerCase() === 'post' && target?.origin === new URL(page).origin;
    } else if (inForm && (name === 'input' || name === 'select' || name === 'textarea')) {
      if (name !== 'input' || !['hidden', 'submit'].includes((attrs.type ?? 'text').toLowerCase())) hiddenOnly = false;
    }
  }
  return forms === 1 && posted && hiddenOnly && script;
}

async function readLogoutPage(ctx: ConnectorContext, endpoint: string): Promise<LogoutPage> {
  const res = await ctx.fetch(endpoint, { headers: { accept: 'text/html' }, redirect: 'manual' });
  const s = res.status;
  if (s !== 200) {
    void res.text().catch(() => undefined);
    return { kind: 'other', detail: s === 0 || (s >= 300 && s < 400) ? t('say_oidcSentElsewhere') : `HTTP ${s}` };
  }
  const html = await res.text();
  const control = findSignOut(html, endpoint).controls.find((c) => c.how === 'form' && c.method === 'POST');
  if (control) return { kind: 'asks', control };
  if (autoSubmits(html, endpoint)) return { kind: 'proceeds' };
  return { kind: 'other', detail: excerpt(html.replace(/<[^>]*>/g, ' ')) };
}

/** Signed in (the provider asks to confirm a sign-out), signed out, or ConnectorError. */
async function signedIn(ctx: ConnectorContext): Promise<boolean> {
  const d = await discover(ctx);
  // No cookie: the provider cannot know this browser. Nothing is asked of it (asking would set one).
  if ((await ctx.local.cookieNames(ctx.account.origin)).length === 0) return false;
  const page = await readLogoutPage(ctx, logoutEndpoint(ctx, d));
  if (page.kind === 'asks') return true;
  if (page.kind === 'proceeds') return false;
  throw pageChanged(ctx, 'its sign-out page neither asks to sign out nor goes on without asking', page.detail);
}

async function whoami(ctx: ConnectorContext): Promise<WhoAmI | null> {
  // The provider does not say who: its host stands for "an account Revoke cannot name".
  return (await signedIn(ctx)) ? { account: host(ctx), sessionId: THIS_BROWSER } : null;
}

async function listSessions(ctx: ConnectorContext): Promise<Session[]> {
  if (!(await signedIn(ctx))) return [];
  return [{ id: THIS_BROWSER, current: true, device: t('account_thisBrowser'), extra: { [t('extra_provider')]: issuerOf(ctx) } }];
}

/** Finds the issuer from what the person typed: the issuer itself, or its discovery document's address. */
async function resolveInstance(ctx: ConnectorContext): Promise<string> {
  const typed = issuerOf(ctx);
  const issuer = typed.endsWith(DISCOVERY) ? typed.slice(0, -DISCOVERY.length) : typed;
  return (await discover(ctx, issuer)).issuer;
}

/** The old login shown once to the logout page: asked again = kept; not asked = ended. */
async function checkOldLogin(ctx: ConnectorContext, kept: KeptLogin | null, endpoint: string): Promise<Pick<SignOutProof, 'oldLoginRefused' | 'seen'>> {
  if (!kept || !ctx.local.withKeptLogin) {
    return { oldLoginRefused: null, seen: t('say_oidcNoKeptLogin') };
  }
  let page: LogoutPage;
  try {
    page = await ctx.local.withKeptLogin(ctx.account.origin, kept, () => readLogoutPage(ctx, endpoint));
  } catch (e) {
    return { oldLoginRefused: null, seen: t('say_oidcCheckFailed', host(ctx), e instanceof Error ? failureText(e) : String(e)) };
  }
  if (page.kind === 'proceeds') {
    return { oldLoginRefused: true, seen: t('say_oidcEnded', host(ctx)) };
  }
  if (page.kind === 'asks') {
    return { oldLoginRefused: false, seen: t('say_oidcKept', host(ctx)) };
  }
  return { oldLoginRefused: null, seen: t('say_oidcUnchecked', host(ctx), page.detail) };
}

async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<SignOutProof> {
  if (target === 'others') throw connectorError('unsupported', { key: 'words_oidcNoOthers', subs: [host(ctx)] });
  if (target !== 'all' && target.id !== THIS_BROWSER) throw connectorError('unsupported', { key: 'words_onlyThisBrowser', subs: [host(ctx)] });
  const endpoint = logoutEndpoint(ctx, await discover(ctx));
  // Kept before anything changes: the proof shows exactly this login again.
  const kept = (await ctx.local.keepLogin?.(ctx.account.origin)) ?? null;
  const page = await readLogoutPage(ctx, endpoint);
  if (page.kind === 'proceeds') throw connectorError('signed-out', { key: 'words_oidcNothingToAsk', subs: [host(ctx)] });
  if (page.kind === 'other') throw pageChanged(ctx, 'its sign-out page does not ask to sign out as Revoke expects', page.detail);
  const { control } = page;
  const used = t('say_oidcAnswered', control.label, host(ctx), new URL(endpoint).pathname);

  const res = await ctx.fetch(control.url, { method: 'POST', form: control.fields ?? {}, redirect: 'manual' });
  void res.text().catch(() => undefined);
  // 303 (status 0 in a browser) is oidc-provider's "done"; 200 a provider's own "signed out" page.
  if (!(res.status === 0 || (res.status >= 200 && res.status < 400))) {
    // Cleared even so: the person asked for this browser to be signed out.
    await ctx.local.clear(ctx.account.origin);
    const refused = res.status === 400 || res.status === 403 || res.status === 422;
    const said: Said = { key: refused ? 'say_oidcRefused' : 'say_oidcNotDone', subs: [used, host(ctx), String(res.status)] };
    throw connectorError(refused ? 'forbidden' : 'server', said, `HTTP ${res.status}`);
  }
  const proof = await checkOldLogin(ctx, kept, endpoint);
  await ctx.local.clear(ctx.account.origin);
  return { ...proof, seen: `${used} ${proof.seen}` };
}

export const oidcConnector: Connector = {
  meta: {
    id: 'oidc',
    name: 'OpenID Connect provider (single sign-on)',
    origins: [],
    instanceUrl: {
      label: 'Issuer address',
      placeholder: 'https://login.example.com',
      help: "The provider's issuer, as your apps' sign-in settings name it (https://login.example.com), or the address of its /.well-known/openid-configuration. Revoke sees whether this browser is signed in there, not as whom, and signs out through the provider's own sign-out.",
    },
    manageUrl: (account) => `${instanceBase(account)}/`,
    can: { list: true, revokeOne: true, revokeOthers: false, revokeAll: true, localSignOut: true, onlyThisBrowser: true },
  },
  whoami,
  listSessions,
  revoke,
  resolveInstance,
};
