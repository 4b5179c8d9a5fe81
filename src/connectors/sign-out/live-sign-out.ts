/**
 * Signing this browser out of a site whose sign-out exists only in its script (single-page apps),
 * in its live page, in a tab Revoke opens in the background (ctx.tabs; the extension's only):
 *
 *   press   open the page where the search started (or where a script-only sign-out was seen), wait
 *           (bounded) until it shows a sign-out control, press it as a person would, wait (bounded)
 *           until the page lets go of it (the control goes, or the page navigates), close the tab.
 *           A page that shows no sign-out but a closed account menu (an avatar button with
 *           aria-haspopup / aria-expanded="false", a <details> summary) gets that menu opened, each
 *           at most once and MAX_MENUS in all, and is read again as it renders: many apps draw their
 *           sign-out only then. Nothing but such a menu opener and the sign-out is ever pressed.
 *   prove   put the kept old login back once (withKeptLogin), open the same page again in a
 *           background tab and watch it: its sign-out shown again means the site still accepts the
 *           old login; a sign-in (a password field or a "Log in") with no sign-out, the page quiet
 *           for a while and at least twice as long as the sign-out took to appear before, means it
 *           refused it; anything else (another site, nothing clear in time) is not checked. The
 *           account menu is opened there too, so a sign-out inside it counts as shown
 *
 * Which control is a sign-out is judged by the static finder's rules (live-finder.ts). Only the
 * linked origin's page is read or pressed (background/site-tab.ts refuses any other).
 */
import { ConnectorError, type ConnectorContext, type KeptLogin, type SignOutProof, type SiteTab, type SiteTabs } from '../types';
import { accountMenus, judgeLivePage, type LivePick } from './live-finder';
import type { LivePage } from '../../lib/live-controls';
import { failureText } from '../common';
import { LEARNED_SIGN_OUT, liveText, noKeptLogin, notFoundText, rememberedButton, type Search } from './site-sign-out';

const FIND_MS = 8_000;
/** A page that loaded nothing more for this long and shows no sign-out has none to show. */
const FIND_QUIET_MS = 4_000;
const LET_GO_MS = 8_000;
const QUIET_MS = 2_000;
const MAX_PROOF_MS = 15_000;
const POLL_MS = 250;
/** Account menus opened at most in one page (each one once): the sign-out is in the first one on most sites. */
const MAX_MENUS = 3;

/**
 * The longest a sign-out through the live page takes: the static search before it, two page loads
 * (background/site-tab.ts bounds each at 10 s) and the bounded waits. A typical single-page app
 * needs a few seconds.
 */
export const LIVE_SIGN_OUT_MAX_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** An error's message as part of a sentence. */
const reason = (e: unknown) => (e instanceof Error ? failureText(e) : String(e)).replace(/\.$/, '');

/** Calls `step` every POLL_MS until it gives an answer (not undefined) or `ms` passed. */
async function watch<T>(ctx: ConnectorContext, ms: number, step: () => Promise<T | undefined>): Promise<T | undefined> {
  const until = ctx.now() + ms;
  for (;;) {
    if (ctx.signal.aborted) return undefined;
    const answer = await step();
    if (answer !== undefined || ctx.now() >= until) return answer;
    await sleep(POLL_MS);
  }
}

/**
 * Opens, once each and at most MAX_MENUS in all, the account menus of a page that shows no
 * sign-out (live-finder.ts `accountMenus`: nothing but a closed menu of the account is pressed).
 * True when one was pressed: the caller reads the page again as it changes.
 */
function menuOpener(tab: SiteTab) {
  const tried = new Set<string>();
  const open = async (live: LivePage): Promise<boolean> => {
    if (tried.size >= MAX_MENUS) return false;
    const menu = accountMenus(live).find((m) => !tried.has(m.key));
    if (!menu) return false;
    tried.add(menu.key);
    const pressed = (await tab.press(menu.index).catch(() => null)) !== false;
    if (pressed) open.last = menu.label;
    return pressed;
  };
  /** The label of the last menu opened, if any. */
  open.last = undefined as string | undefined;
  return open;
}

type Pressed = { pick: LivePick; page: string; appearedMs: number; letGo: boolean; menu?: string } | { pick: null; why: string | null };

async function press(ctx: ConnectorContext, tab: SiteTab, origin: string, start: string): Promise<Pressed> {
  const began = ctx.now();
  let page = start;
  let still = { since: began, loaded: -1 };
  const openMenu = menuOpener(tab);
  const found = await watch(ctx, FIND_MS, async () => {
    const live = await tab.read();
    if (live === 'elsewhere') return 'elsewhere' as const;
    if (!live) return undefined;
    page = live.url;
    const pick = judgeLivePage(live, origin).pick;
    if (pick) return pick;
    // The sign-out may be rendered only once the account menu opens: open it, and give the page
    // the quiet time again to render what it holds.
    if (await openMenu(live)) {
      still = { since: ctx.now(), loaded: live.loaded };
      return undefined;
    }
    if (live.loaded !== still.loaded) still = { since: ctx.now(), loaded: live.loaded };
    return ctx.now() - still.since >= FIND_QUIET_MS ? null : undefined;
  });
  if (found === 'elsewhere') return { pick: null, why: liveText.elsewhere() };
  if (!found) return { pick: null, why: null };
  const appearedMs = ctx.now() - began;
  // false: not pressed (the control went away). null: the browser erred while pressing, so it may
  // have been pressed: carried on as pressed, and the proof tells.
  if ((await tab.press(found.index)) === false) return { pick: null, why: liveText.gone(found.label) };
  // The page's own requests run now; the tab stays open until the page let go of its sign-out.
  let loaded = -1;
  const letGo = await watch(ctx, LET_GO_MS, async () => {
    const live = await tab.read();
    if (live === 'elsewhere') return true;
    if (!live || judgeLivePage(live, origin).pick) return undefined;
    // No sign-out any more: wait for the page to be quiet (nothing more finished loading between two looks).
    const quiet = live.loaded === loaded;
    loaded = live.loaded;
    return quiet || undefined;
  }).catch(() => undefined); // pressed either way: whatever the tab does now, the proof tells
  return { pick: found, page, appearedMs, letGo: letGo === true, ...(openMenu.last !== undefined && { menu: openMenu.last }) };
}

type Verdict = 'refused' | 'accepted' | 'elsewhere' | 'unclear';

async function watchOldLogin(ctx: ConnectorContext, tab: SiteTab, origin: string, appearedMs: number): Promise<Verdict> {
  const began = ctx.now();
  const settle = Math.max(QUIET_MS, 2 * appearedMs);
  let signIn: { since: number; loaded: number } | null = null;
  const openMenu = menuOpener(tab);
  const verdict = await watch<Verdict>(ctx, Math.min(MAX_PROOF_MS, settle + 3 * QUIET_MS), async () => {
    const live = await tab.read();
    if (live === 'elsewhere') return 'elsewhere';
    if (!live) return undefined;
    const seen = judgeLivePage(live, origin);
    if (seen.pick) return 'accepted';
    // Signed in, the sign-out may again be inside the account menu: look there before any verdict.
    if (!seen.signInShown && (await openMenu(live))) return undefined;
    // A page may show "Log in" while it still asks its server who this is: only a sign-in that
    // stays, with nothing more loading, long enough, counts.
    if (!seen.signInShown) signIn = null;
    else if (!signIn || signIn.loaded !== live.loaded) signIn = { since: ctx.now(), loaded: live.loaded };
    else if (ctx.now() - signIn.since >= QUIET_MS && ctx.now() - began >= settle) return 'refused';
    return undefined;
  });
  return verdict ?? 'unclear';
}

async function proveLive(
  ctx: ConnectorContext, tabs: SiteTabs, kept: KeptLogin | null, pressed: Extract<Pressed, { pick: LivePick }>,
): Promise<Pick<SignOutProof, 'oldLoginRefused' | 'seen'>> {
  const { page, appearedMs } = pressed;
  const origin = new URL(ctx.account.origin).origin;
  const host = new URL(origin).host;
  if (!kept || !ctx.local.withKeptLogin) return { oldLoginRefused: null, seen: noKeptLogin() };
  let verdict: Verdict;
  try {
    verdict = await ctx.local.withKeptLogin(origin, kept, () => tabs.open(page, (tab) => watchOldLogin(ctx, tab, origin, appearedMs)));
  } catch (e) {
    return { oldLoginRefused: null, seen: liveText.unclear(page, host, reason(e)) };
  }
  if (verdict === 'refused') return { oldLoginRefused: true, seen: liveText.refused(page) };
  if (verdict === 'accepted') return { oldLoginRefused: false, seen: liveText.accepted(page, host, pressed.pick.label, pressed.letGo) };
  return { oldLoginRefused: null, seen: liveText.unclear(page, host, verdict === 'elsewhere' ? liveText.elsewhere() : liveText.showedNeither()) };
}

/**
 * Signs out through the live page when the static pages offered no sign-out Revoke can send.
 * Nothing pressed: ConnectorError 'unsupported' saying where Revoke looked (the engine then signs
 * this browser out alone). Pressed: the proof, after which this browser's cookies and data go.
 */
export async function signOutInTab(ctx: ConnectorContext, tabs: SiteTabs, search: Search): Promise<SignOutProof> {
  const origin = new URL(ctx.account.origin).origin;
  const host = new URL(origin).host;
  const start = search.scriptOnlyAt ?? `${origin}${search.looked[0] ?? '/'}`;
  // Kept before anything changes: the proof shows exactly this login again.
  const kept = (await ctx.local.keepLogin?.(origin)) ?? null;
  let pressed: Pressed;
  try {
    pressed = await tabs.open(start, (tab) => press(ctx, tab, origin, start));
  } catch (e) {
    if (!(e instanceof ConnectorError)) throw e;
    pressed = { pick: null, why: reason(e) };
  }
  if (!pressed.pick) throw new ConnectorError('unsupported', notFoundText(host, search, { page: start, why: pressed.why }));
  const proof = await proveLive(ctx, tabs, kept, pressed);
  await ctx.local.clear(origin);
  const used = liveText.used(host, pressed.pick.label, pressed.page, pressed.menu);
  return {
    oldLoginRefused: proof.oldLoginRefused,
    seen: [used, ...(pressed.letGo ? [] : [liveText.heldOn()]), proof.seen].join(' '),
    ...(proof.oldLoginRefused === true ? { learned: { [LEARNED_SIGN_OUT]: rememberedButton(pressed.page, pressed.pick.label) } } : {}),
  };
}
