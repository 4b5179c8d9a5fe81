/**
 * The two functions Revoke runs inside a linked site's live page, in a tab it opened in the
 * background for a sign-out that exists only in the page's script (src/background/site-tab.ts).
 * executeScript sends a function's source, not its closure: each is self-contained (no imports, no
 * module-level names) and returns plain data. Which control is a sign-out is judged outside the page,
 * by the same rules as the static finder (connectors/sign-out/live-finder.ts): the page only lists.
 * The page is untrusted, so what it hands back is capped.
 */

/** One control a person could press, as the page shows it. */
export interface LiveControl {
  /** Its place in the last list read: `pressLiveControl` takes it. */
  index: number;
  /** Visible text, then aria-label, title, and the alt or title of the images inside. */
  texts: string[];
  /** A link's absolute address; null for buttons and for links that only the script acts on ("#", javascript:). */
  href: string | null;
  /** Shown on the page (not hidden, not inside a closed part of it). */
  visible: boolean;
  /**
   * Set when the control says it opens a menu (aria-haspopup, aria-expanded, a <details> summary):
   * whether it is open now, and whether it shows a person's picture (an avatar).
   */
  menu?: { expanded: boolean; avatar: boolean };
}

export interface LivePage {
  /** The document's address, as the page reports it (the background checks the tab's as well). */
  url: string;
  controls: LiveControl[];
  /** A password field is shown: the page asks someone to sign in. */
  passwordField: boolean;
  /** Resources the page finished loading so far: unchanged over a while means it is quiet. */
  loaded: number;
}

/**
 * Lists the page's links and buttons, keeping the elements in this isolated world (never in the
 * page's own) for `pressLiveControl`. Skips disabled controls and those in a form that asks for
 * input (a search, a sign-in), as the static finder does. Requests nothing. (`doc` is for tests.)
 */
export function readLiveControls(doc: Document = document): LivePage {
  const MAX_CONTROLS = 400;
  const MAX_TEXT = 200;
  const USER_INPUT = ['text', 'password', 'email', 'search', 'number', 'tel', 'url', 'file'];
  const cut = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT);
  const asksForInput = (form: HTMLFormElement) =>
    Array.from(form.querySelectorAll('input, select, textarea')).some((el) => el.tagName !== 'INPUT' || USER_INPUT.includes(((el as HTMLInputElement).getAttribute('type') ?? 'text').toLowerCase()));
  const selector = 'a[href], button, input[type="submit"], input[type="button"], [role="button"], [role="menuitem"], [role="link"], details > summary';
  const AVATAR = /avatar|gravatar|(?:profile|user)[-_ ]?(?:pic|image|photo|img)/i;
  const elements: Element[] = [];
  const controls: LiveControl[] = [];
  for (const el of Array.from(doc.querySelectorAll(selector))) {
    if (controls.length >= MAX_CONTROLS) break;
    if ((el as HTMLButtonElement).disabled || el.getAttribute('aria-disabled') === 'true') continue;
    // A menu item around its link, a role=button around a <button>: the inner one is what acts.
    if (el.querySelector(selector)) continue;
    const form = el.closest('form');
    if (form && asksForInput(form)) continue;
    const described = [el.getAttribute('aria-label'), el.getAttribute('title')];
    for (const img of Array.from(el.querySelectorAll('img, svg')).slice(0, 3)) described.push(img.getAttribute('alt'), img.getAttribute('aria-label'), img.querySelector('title')?.textContent ?? null);
    const own = el.tagName === 'INPUT' ? (el as HTMLInputElement).value : el.textContent;
    const texts = [cut(own), ...described.map(cut)].filter((t) => t !== '');
    let href: string | null = null;
    if (el.tagName === 'A') {
      const raw = (el.getAttribute('href') ?? '').trim();
      if (raw !== '' && !raw.startsWith('#') && !/^(javascript|data|vbscript):/i.test(raw)) href = (el as HTMLAnchorElement).href;
    }
    const visible = el.closest('[hidden], [aria-hidden="true"], [inert]') === null && (typeof el.checkVisibility !== 'function' || el.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions));
    const popup = el.getAttribute('aria-haspopup');
    const expanded = el.getAttribute('aria-expanded');
    const details = el.tagName === 'SUMMARY' ? (el.parentElement as HTMLDetailsElement | null) : null;
    let menu: LiveControl['menu'];
    if (details || (popup !== null && popup !== 'false') || expanded !== null) {
      const pictures = Array.from(el.querySelectorAll('img, svg, [class*="avatar" i]')).slice(0, 3);
      const avatar = pictures.some((p) => AVATAR.test([p.getAttribute('class'), p.getAttribute('alt'), p.getAttribute('src'), p.id].join(' ')));
      menu = { expanded: details ? details.open : expanded === 'true', avatar };
    }
    elements.push(el);
    controls.push({ index: elements.length - 1, texts, href, visible, ...(menu && { menu }) });
  }
  (globalThis as { revokeLiveControls?: Element[] }).revokeLiveControls = elements;
  const passwordField = Array.from(doc.querySelectorAll('input[type="password"]')).some((el) => el.closest('[hidden], [aria-hidden="true"]') === null);
  const loaded = typeof performance !== 'undefined' ? performance.getEntriesByType('resource').length : 0;
  return { url: doc.location?.href ?? location.href, controls, passwordField, loaded };
}

/**
 * Presses control `index` of the last list as a person would: scrolled into view, focused, and a
 * real click event (what the page's own handlers listen for; a link follows its address). Only on
 * the expected origin, and only while the element is still in the page. True when pressed.
 */
export function pressLiveControl(index: number, origin: string, doc: Document = document): boolean {
  if ((doc.location?.origin ?? location.origin) !== origin) return false;
  const el = (globalThis as { revokeLiveControls?: Element[] }).revokeLiveControls?.[index];
  if (!el || !el.isConnected || el.ownerDocument !== doc) return false;
  (el as HTMLElement).scrollIntoView?.({ block: 'center' });
  (el as HTMLElement).focus?.();
  // The press before the click: menus and buttons built on pointer events act on these.
  for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup']) el.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, button: 0 }));
  (el as HTMLElement).click();
  return true;
}
