/**
 * Judges the controls a live page listed (lib/live-controls.ts) with the static finder's rules
 * (`signOutScore`: the same words, look-alikes and addresses): the best same-origin sign-out to
 * press, the ones pointing elsewhere (never pressed), and whether the page asks someone to sign in.
 * Pure: plain data in, plain data out.
 */
import type { LivePage } from '../../lib/live-controls';
import { elsewhereText, shownLabel, signOutScore } from './finder';
import { normalLabel, readsAsAccountMenu, readsAsSignIn } from './words';

export interface LivePick {
  index: number;
  /** What a person reads on it (shortened). */
  label: string;
}

export interface LiveFindings {
  /** The sign-out to press, or null. Shown controls come before hidden ones (a closed menu's), then by score. */
  pick: LivePick | null;
  /** Sign-out-looking controls not used, and why. */
  refused: string[];
  /** The page shows a sign-in (a password field, or a control that reads "Log in") and no sign-out. */
  signInShown: boolean;
}

function target(href: string | null): URL | null {
  if (href === null) return null;
  try {
    return new URL(href);
  } catch {
    return null;
  }
}

export function judgeLivePage(page: LivePage, origin: string): LiveFindings {
  const refused: string[] = [];
  let best: (LivePick & { rank: number }) | null = null;
  for (const c of page.controls) {
    const to = target(c.href);
    const score = signOutScore(c.texts, to);
    if (score === null) continue;
    const label = shownLabel(c.texts, to);
    if (to && to.origin !== origin) {
      refused.push(elsewhereText(label, to));
      continue;
    }
    const rank = score + (c.visible ? 10 : 0);
    if (!best || rank > best.rank) best = { index: c.index, label, rank };
  }
  const pick = best && { index: best.index, label: best.label };
  const signIn = page.passwordField || page.controls.some((c) => c.visible && readsAsSignIn(normalLabel(c.texts.join(' '))));
  return { pick, refused, signInShown: !pick && signIn };
}

/** A closed menu that may hold the account's sign-out; `key` tells it apart across reads of the page. */
export interface MenuOpener {
  index: number;
  key: string;
  /** What a person reads on it (shortened), for the report. */
  label: string;
}

/**
 * Closed account menus, shown on the page, to open when it shows no sign-out: controls that say
 * they open a menu and read as the account's (or show an avatar). Nothing else is ever offered:
 * a menu of notifications or a language picker is not the account's.
 */
export function accountMenus(page: LivePage): MenuOpener[] {
  return page.controls
    .filter((c) => c.visible && c.menu && !c.menu.expanded && c.href === null)
    .filter((c) => c.menu!.avatar || readsAsAccountMenu(normalLabel(c.texts.join(' '))))
    .map((c) => ({ index: c.index, key: `${c.menu!.avatar ? 'avatar:' : ''}${c.texts.join('|')}`, label: shownLabel(c.texts, null) }));
}
