/**
 * Signing this browser out of a site through the site's own sign-out, and proving the site let go.
 *
 *   locate   the site's pages this browser sees signed in: a remembered page first, then the start
 *            page, then its account or settings pages; the first same-origin sign-out control found
 *   send     that control as the page would send it (a link with its nonce, a form with its hidden
 *            CSRF field, a Rails method link with the page's CSRF meta), redirects not followed
 *   prove    the login cookies kept from before the sign-out are shown once more to the page where
 *            the control was found: a site that ended the session answers as to a stranger (a
 *            redirect to its sign-in, 401/403, or the page without its sign-out); a site that shows
 *            the same sign-out again still accepts the old login
 *
 * Why showing the old login once is safe is in docs/design.md ("Proving a sign-out").
 */
import { t } from '../../i18n/t';
import { connectorError, failureText } from '../common';
import { ConnectorError, type ConnectorContext, type KeptLogin, type SignOutProof } from '../types';
import { describeControl, findSignOut, sameControl, type ControlDescription, type SignOutControl } from './finder';

/** The per-account setting that remembers what worked: a ControlDescription and its page's path, never a token. */
export const LEARNED_SIGN_OUT = 'learnedSignOut';

const MAX_PAGES = 4;

export interface Remembered extends ControlDescription {
  /** Path of the page the control was found on. */
  page: string;
}

export interface Located {
  control: SignOutControl;
  /** The page (absolute URL) the control was found on: where the proof looks. */
  page: string;
}

export interface Search {
  found: Located | null;
  /** Paths of the pages read, for "Revoke looked at / and /account". */
  looked: string[];
  /** Sign-out-looking controls not used, and why. */
  refused: string[];
  /** The first page (absolute URL) that showed a sign-out button only its script acts on. */
  scriptOnlyAt: string | null;
}

export function readRemembered(raw: string | undefined): Remembered | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<Remembered>;
    const hows = ['link', 'form', 'method-link', 'button'];
    if (typeof v.page !== 'string' || !v.page.startsWith('/') || typeof v.path !== 'string' || !hows.includes(String(v.how))) return null;
    return { how: v.how as Remembered['how'], path: v.path, label: typeof v.label === 'string' ? v.label : '', page: v.page };
  } catch {
    return null;
  }
}

/** A page as this browser sees it (redirects followed on the site), or null with why. */
async function readPage(ctx: ConnectorContext, url: string): Promise<{ url: string; html: string } | { why: string }> {
  try {
    const res = await ctx.fetch(url);
    if (res.status !== 200) return { why: `HTTP ${res.status}` };
    const type = res.headers.get('content-type') ?? '';
    if (type && !/html/i.test(type)) return { why: 'not a page' };
    return { url: res.url, html: await res.text() };
  } catch (e) {
    if (e instanceof ConnectorError && e.kind !== 'timeout' && e.kind !== 'offline') return { why: e.message };
    throw e;
  }
}

const pathOf = (url: string) => new URL(url).pathname;

/** Looks for the site's sign-out on the pages this browser sees signed in. */
export async function locateSignOut(ctx: ConnectorContext, remembered: Remembered | null): Promise<Search> {
  const origin = new URL(ctx.account.origin).origin;
  const queue = [...(remembered ? [`${origin}${remembered.page}`] : []), `${origin}/`];
  const search: Search = { found: null, looked: [], refused: [], scriptOnlyAt: null };
  const read = new Set<string>();
  while (queue.length > 0 && read.size < MAX_PAGES) {
    const url = queue.shift()!;
    if (read.has(url)) continue;
    read.add(url);
    const page = await readPage(ctx, url);
    search.looked.push(pathOf(url));
    if ('why' in page) continue;
    read.add(page.url);
    const findings = findSignOut(page.html, page.url);
    for (const r of findings.refused) if (!search.refused.includes(r)) search.refused.push(r);
    if (findings.scriptOnly) search.scriptOnlyAt ??= page.url;
    const control = (remembered && findings.controls.find((c) => sameControl(describeControl(c), remembered))) ?? findings.controls[0];
    if (control) {
      search.found = { control, page: page.url };
      return search;
    }
    queue.push(...findings.accountPages);
  }
  return search;
}

/**
 * Where Revoke looked and what it did not use, for "this browser only". `live`: the page it also
 * opened in a background tab (live-sign-out.ts), and why nothing was pressed there.
 */
export function notFoundText(host: string, search: Search, live?: { page: string; why: string | null }): string {
  const sentences = [search.looked.length > 0
    ? t('say_notFoundLooked', host, search.looked.map((p) => t('say_quoted', p)).join(', '))
    : t('say_notFoundNoPage', host)];
  if (live) sentences.push(t('say_notFoundLive', t('say_quoted', pathOf(live.page)), live.why ?? t('say_liveShowedNoSignOut')));
  else if (search.scriptOnlyAt) sentences.push(t('say_notFoundScriptOnly'));
  if (search.refused.length > 0) sentences.push(t('say_notUsed', search.refused.slice(0, 3).join('; ')));
  return sentences.join(' ');
}

/**
 * The sentences of a sign-out through the live page in a background tab (live-sign-out.ts), said
 * when made: `seen` is kept as written (the audit log holds it), in the browser's language.
 */
export const liveText = {
  used: (host: string, label: string, page: string, menu?: string) =>
    menu === undefined ? t('say_liveUsed', host, label, pathOf(page))
      : menu ? t('say_liveUsedInMenu', host, label, pathOf(page), menu)
        : t('say_liveUsedInAccountMenu', host, label, pathOf(page)),
  elsewhere: () => t('say_liveElsewhere'),
  heldOn: () => t('say_liveHeldOn'),
  gone: (label: string) => t('say_liveGone', label),
  refused: (page: string) => t('say_liveAgainRefused', pathOf(page)),
  /** `keeps`: the page reacted to the press, so the site keeps sessions after its own sign-out. */
  accepted: (page: string, host: string, label: string, keeps: boolean) =>
    t(keeps ? 'say_liveAgainAcceptedKeeps' : 'say_liveAgainAccepted', pathOf(page), label, host),
  unclear: (page: string, host: string, why: string) => t('say_liveAgainUnclear', pathOf(page), why, host),
  showedNeither: () => t('say_liveShowedNeither'),
};

/** "Revoke used example.com's own sign-out, “Log out” (a form sent to /logout on /account)." */
export function usedText(host: string, control: SignOutControl, page: string): string {
  const d = describeControl(control);
  if (d.how === 'form') return t('say_usedForm', host, d.label, d.path, pathOf(page));
  if (d.how === 'method-link') return t('say_usedMethodLink', host, d.label, d.path, control.fields?._method?.toUpperCase() ?? 'POST', pathOf(page));
  return t('say_usedLink', host, d.label, d.path, pathOf(page));
}

/** Sends the control; null when the site accepted it, else why not. Redirects (where logouts usually send people) are not followed. */
export async function sendControl(ctx: ConnectorContext, control: SignOutControl): Promise<ConnectorError | null> {
  try {
    const res = await ctx.fetch(control.url, control.method === 'POST' ? { method: 'POST', form: control.fields ?? {}, redirect: 'manual' } : { redirect: 'manual' });
    void res.text().catch(() => undefined);
    const s = res.status;
    // 0: the browser's hidden redirect; 401: the site already sees no session.
    if (s === 0 || s === 401 || (s >= 200 && s < 400)) return null;
    const detail = `HTTP ${s}`;
    // 403: Django's CSRF failure, WordPress's expired nonce; 422: Rails's InvalidAuthenticityToken.
    if (s === 403 || s === 422) return connectorError('forbidden', { key: 'say_sendRefused' }, detail);
    if (s === 404 || s === 405) return connectorError('page-changed', { key: 'say_sendUnknown' }, detail);
    return connectorError('server', { key: 'say_sendAnswered', subs: [String(s)] }, detail);
  } catch (e) {
    if (e instanceof ConnectorError) return e;
    throw e;
  }
}

export const noKeptLogin = () => t('say_noKeptLogin');

/**
 * Shows the kept login once to `page` and reads how the site answers. The page showed `marker`
 * (its sign-out) to this login before; the same answer now means the site still accepts it.
 */
export async function checkOldLogin(
  ctx: ConnectorContext, kept: KeptLogin | null, page: string, marker: ControlDescription,
): Promise<Pick<SignOutProof, 'oldLoginRefused' | 'seen'>> {
  const host = new URL(ctx.account.origin).host;
  const where = pathOf(page);
  if (!kept || !ctx.local.withKeptLogin) {
    return { oldLoginRefused: null, seen: noKeptLogin() };
  }
  let answer: { status: number; html: string };
  try {
    answer = await ctx.local.withKeptLogin(ctx.account.origin, kept, async () => {
      const res = await ctx.fetch(page, { redirect: 'manual' });
      return { status: res.status, html: res.status === 200 ? await res.text() : (void res.text().catch(() => undefined), '') };
    });
  } catch (e) {
    const why = e instanceof Error ? failureText(e) : String(e);
    return { oldLoginRefused: null, seen: t('say_oldLoginCheckFailed', host, why) };
  }
  const s = answer.status;
  if (s === 0 || (s >= 300 && s < 400)) {
    return { oldLoginRefused: true, seen: t('say_oldLoginRedirected', where) };
  }
  if (s === 401 || s === 403) return { oldLoginRefused: true, seen: t('say_oldLoginStatus', where, String(s)) };
  if (s !== 200) return { oldLoginRefused: null, seen: t('say_oldLoginUnchecked', host, where, String(s)) };
  const still = findSignOut(answer.html, page).controls.some((c) => sameControl(describeControl(c), marker));
  return still
    ? { oldLoginRefused: false, seen: t('say_oldLoginAccepted', where, marker.label, host) }
    : { oldLoginRefused: true, seen: t('say_oldLoginGone', where) };
}

/** What to remember of a button pressed in the live page: the page it is on, so the next sign-out opens that one. */
export function rememberedButton(page: string, label: string): string {
  const remembered: Remembered = { how: 'button', path: pathOf(page), label, page: pathOf(page) };
  return JSON.stringify(remembered);
}

export function rememberedFrom(found: Located): string {
  const remembered: Remembered = { ...describeControl(found.control), page: pathOf(found.page) };
  return JSON.stringify(remembered);
}
