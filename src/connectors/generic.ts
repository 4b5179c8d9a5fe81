/**
 * "Any site": for a site without a dedicated connector, this browser's own login there. It sees
 * only whether this browser holds cookies for the site. To sign out it uses the sign-out the site's
 * own pages offer (or an address the person gave), proves that the site refused the old login
 * afterwards, and clears this browser's cookies and site data (sign-out/site-sign-out.ts). Where
 * the pages offer only a script's sign-out, it presses it in the live page in a background tab
 * (sign-out/live-sign-out.ts; the extension only). With no sign-out found it claims nothing: the
 * engine signs this browser out alone and says where Revoke looked.
 */
import { describeControl, type SignOutControl } from './sign-out/finder';
import { LIVE_SIGN_OUT_MAX_MS, signOutInTab } from './sign-out/live-sign-out';
import {
  checkOldLogin, LEARNED_SIGN_OUT, locateSignOut, notFoundText, readRemembered, rememberedFrom, sendControl, usedText,
} from './sign-out/site-sign-out';
import {
  ConnectorError, type Connector, type ConnectorContext, type RevokeTarget, type Session, type SignOutProof, type WhoAmI,
} from './types';
import { t, type Said } from '../i18n/t';
import { connectorError, failureText, THIS_BROWSER } from './common';

/** The one pseudo-session's id. */
export { THIS_BROWSER };

/**
 * Per-account settings this connector reads (ConnectorMeta has no field for them yet):
 * `logoutUrl`, same-origin, absolute or a path; `logoutMethod`, 'GET' (default) or 'POST'.
 */
export const GENERIC_SETTINGS = {
  logoutUrl: { label: 'Logout address (optional)', placeholder: '/logout', help: "Usually not needed: Revoke finds the site's own “Sign out” on its pages. Give the address only if that fails." },
  logoutMethod: { label: 'Logout method', options: ['GET', 'POST'] },
} as const;

function host(ctx: ConnectorContext): string {
  return new URL(ctx.account.origin).host;
}

/** The logout address as an absolute URL on the account's origin, or why it cannot be used (as words to say). */
export function checkLogoutUrl(origin: string, raw: string): { ok: true; url: string } | { ok: false; error: Said } {
  let url: URL;
  try {
    url = new URL(raw.trim(), origin);
  } catch {
    return { ok: false, error: { key: 'say_logoutUrlInvalid' } };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, error: { key: 'say_logoutUrlScheme' } };
  if (url.origin !== new URL(origin).origin) return { ok: false, error: { key: 'say_logoutUrlOrigin', subs: [new URL(origin).origin] } };
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
      device: t('account_thisBrowser'),
      // Cookie names only: their values are the credentials.
      extra: { [t('extra_cookies')]: list.length > 300 ? `${list.slice(0, 300)}…` : list },
    },
  ];
}

/** The address the person typed, as a control (a GET link, or an empty POST form). */
function typedControl(ctx: ConnectorContext, raw: string): SignOutControl {
  const checked = checkLogoutUrl(ctx.account.origin, raw);
  if (!checked.ok) throw connectorError('permission', checked.error);
  const post = ctx.account.settings.logoutMethod?.toUpperCase() === 'POST';
  return post
    ? { how: 'form', method: 'POST', url: checked.url, fields: {}, label: 'the sign-out address you gave' }
    : { how: 'link', method: 'GET', url: checked.url, label: 'the sign-out address you gave' };
}

/**
 * Signs this browser out on the site: the site's own sign-out (or the typed address), then the
 * proof (the old login shown once to the page that showed the sign-out), then this browser's
 * cookies and data. See sign-out/site-sign-out.ts.
 */
async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<SignOutProof> {
  if (target === 'others') throw connectorError('unsupported', { key: 'words_genericNoOthers', subs: [host(ctx)] });
  if (target !== 'all' && target.id !== THIS_BROWSER) throw connectorError('unsupported', { key: 'words_onlyThisBrowser', subs: [host(ctx)] });
  const typed = ctx.account.settings.logoutUrl?.trim();
  const manual = typed ? typedControl(ctx, typed) : null;
  // The typed address needs no search to be sent, but the proof needs a page that shows the person signed in.
  const search = await locateSignOut(ctx, readRemembered(ctx.account.settings[LEARNED_SIGN_OUT]));
  const found = search.found;
  if (!manual && !found) {
    // Nothing to send from the static pages: the live page may render its sign-out through script.
    if (ctx.tabs) return signOutInTab(ctx, ctx.tabs, search);
    throw new ConnectorError('unsupported', notFoundText(host(ctx), search));
  }
  const control = manual ?? found!.control;
  const used = manual ? t('say_usedTyped', new URL(control.url).pathname) : usedText(host(ctx), control, found!.page);

  // Kept before anything changes: the proof shows exactly this login again.
  const kept = (await ctx.local.keepLogin?.(ctx.account.origin)) ?? null;
  const failure = await sendControl(ctx, control);
  if (failure) {
    // Cleared even when the sign-out failed: the person asked for this browser to be signed out.
    await ctx.local.clear(ctx.account.origin);
    throw connectorError(failure.kind, { key: 'say_genericFailed', subs: [used, failureText(failure), host(ctx)] }, failure.detail);
  }
  const proof = found
    ? await checkOldLogin(ctx, kept, found.page, describeControl(found.control))
    : { oldLoginRefused: null, seen: t('say_genericNoProofPage', host(ctx)) };
  await ctx.local.clear(ctx.account.origin);
  return {
    oldLoginRefused: proof.oldLoginRefused,
    seen: `${used} ${proof.seen}`, // two whole sentences, each said on its own
    ...(!manual && found && proof.oldLoginRefused === true ? { learned: { [LEARNED_SIGN_OUT]: rememberedFrom(found) } } : {}),
  };
}

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
    can: { list: true, revokeOne: true, revokeOthers: false, revokeAll: true, localSignOut: true, onlyThisBrowser: true },
  },
  whoami,
  listSessions,
  revoke,
  revokeTimeoutMs: LIVE_SIGN_OUT_MAX_MS,
};
