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
  const looked = search.looked.length > 0 ? search.looked.map((p) => `“${p}”`).join(', ') : 'no page (none answered)';
  let text = `Revoke found no sign-out on ${host}'s pages (it looked at ${looked}).`;
  if (live) text += ` It also opened “${pathOf(live.page)}” in a background tab and pressed nothing there: ${live.why ?? 'the live page showed no sign-out either'}.`;
  else if (search.scriptOnlyAt) text += ' The site shows a sign-out button that works only through its own script, which Revoke does not run.';
  if (search.refused.length > 0) text += ` Not used: ${search.refused.slice(0, 3).join('; ')}.`;
  return text;
}

/** The sentences of a sign-out through the live page in a background tab (live-sign-out.ts). */
export const liveText = {
  used: (host: string, label: string, page: string, menu?: string) =>
    `Revoke signed out of ${host} in a background tab, with the site's own “${label}” button (on ${pathOf(page)}${
      menu === undefined ? '' : menu ? `, in its menu “${menu}”, which Revoke opened` : ', in its account menu, which Revoke opened'}).`,
  elsewhere: 'the tab went to another site, where Revoke reads and presses nothing',
  heldOn: 'The page still showed the button after it was pressed, as if nothing happened.',
  gone: (label: string) => `the page took its “${label}” away before Revoke could press it`,
  again: (page: string) => `Revoke then put the old login back once and opened “${pathOf(page)}” again in a background tab`,
  refused: 'the page asked to sign in instead of showing its sign-out: the site refused the old login.',
  /** `keeps`: the page reacted to the press, so the site keeps sessions after its own sign-out. */
  accepted: (host: string, label: string, keeps: boolean) =>
    `the page still showed its sign-out “${label}”: ${host} still accepts that login${keeps ? ' and keeps sessions until they expire' : ''}. If it may have been copied, change the password on ${host}.`,
  unclear: (host: string, what: string) => `${what}, so Revoke could not check that ${host} let go of the old login.`,
  showedNeither: 'the page showed neither its sign-out nor a sign-in',
  // The background tab's own failures (background/site-tab.ts).
  onlyOn: (origin: string) => `Revoke opens tabs only on ${origin}.`,
  noTab: 'The browser did not open a tab for the sign-out.',
  notLoaded: (host: string) => `${host} did not finish loading in the background tab.`,
  tabClosed: 'The background tab was closed before Revoke was done.',
};

export function controlText(control: SignOutControl, page: string | null): string {
  const d = describeControl(control);
  const kind = d.how === 'form' ? `a form sent to ${d.path}` : d.how === 'method-link' ? `a link that sends ${d.path} a ${control.fields?._method?.toUpperCase() ?? 'POST'}` : `a link to ${d.path}`;
  return `“${d.label}” (${kind}${page ? ` on ${pathOf(page)}` : ''})`;
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
    if (s === 403 || s === 422) return new ConnectorError('forbidden', 'the site refused it', detail);
    if (s === 404 || s === 405) return new ConnectorError('page-changed', 'the site does not know that address', detail);
    return new ConnectorError('server', `the site answered HTTP ${s}`, detail);
  } catch (e) {
    if (e instanceof ConnectorError) return e;
    throw e;
  }
}

export const NO_KEPT_LOGIN = 'Revoke could not show the old login to the site again, so it could not check that the site let go of it.';

/**
 * Shows the kept login once to `page` and reads how the site answers. The page showed `marker`
 * (its sign-out) to this login before; the same answer now means the site still accepts it.
 */
export async function checkOldLogin(
  ctx: ConnectorContext, kept: KeptLogin | null, page: string, marker: ControlDescription,
): Promise<Pick<SignOutProof, 'oldLoginRefused' | 'seen'>> {
  const host = new URL(ctx.account.origin).host;
  const where = `“${pathOf(page)}”`;
  if (!kept || !ctx.local.withKeptLogin) {
    return { oldLoginRefused: null, seen: NO_KEPT_LOGIN };
  }
  let answer: { status: number; html: string };
  try {
    answer = await ctx.local.withKeptLogin(ctx.account.origin, kept, async () => {
      const res = await ctx.fetch(page, { redirect: 'manual' });
      return { status: res.status, html: res.status === 200 ? await res.text() : (void res.text().catch(() => undefined), '') };
    });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { oldLoginRefused: null, seen: `Revoke could not check whether ${host} still accepts the old login: ${why}` };
  }
  const s = answer.status;
  if (s === 0 || (s >= 300 && s < 400)) {
    return { oldLoginRefused: true, seen: `Revoke showed the old login once to ${where}, which sent it away (a redirect) instead of showing a signed-in page: the site refused it.` };
  }
  if (s === 401 || s === 403) return { oldLoginRefused: true, seen: `Revoke showed the old login once to ${where}, which answered HTTP ${s}: the site refused it.` };
  if (s !== 200) return { oldLoginRefused: null, seen: `Revoke could not check whether ${host} still accepts the old login: ${where} answered HTTP ${s}.` };
  const still = findSignOut(answer.html, page).controls.some((c) => sameControl(describeControl(c), marker));
  return still
    ? {
        oldLoginRefused: false,
        seen: `Revoke showed the old login once to ${where}, which still showed a signed-in person (its sign-out “${marker.label}”): ${host} still accepts that login and keeps sessions until they expire. If it may have been copied, change the password on ${host}.`,
      }
    : { oldLoginRefused: true, seen: `Revoke showed the old login once to ${where}, which no longer showed a signed-in person (no sign-out on it): the site refused it.` };
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
