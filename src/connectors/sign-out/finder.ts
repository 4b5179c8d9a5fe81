/**
 * Finds the sign-out a site's own page offers this browser: links and forms whose label, title or
 * address read as "sign out" in common languages, with what they carry (a nonce in the link, a
 * form's hidden CSRF field, a Rails method link's CSRF meta). Only controls on the page's own
 * origin are returned; anything pointing elsewhere is noted (said in the browser's language) and
 * never used. HTML in, plain data out.
 *
 * A control's `url` and `fields` may hold the page's tokens (WordPress's `_wpnonce`, Django's
 * `csrfmiddlewaretoken`): they are used for the one request and never stored or shown. What may be
 * kept and shown is `describeControl`: how it is sent, its path without query, its label.
 */
import { t } from '../../i18n/t';
import { scanHtml } from '../../lib/html-scan';
import { railsCsrf, railsLinkMethod, railsMethodFields } from './frameworks';
import { ACCOUNT_PATH, LOOK_ALIKE_PATH, normalLabel, readsAsAccount, readsAsLookAlike, readsAsSignOut, SIGN_OUT_PATH } from './words';

export interface SignOutControl {
  /** 'link': followed (GET); 'form': submitted with its hidden fields; 'method-link': a Rails data-method link. */
  how: 'link' | 'form' | 'method-link';
  method: 'GET' | 'POST';
  /** Absolute, on the page's origin. May carry a nonce: never stored or shown. */
  url: string;
  /** The form body; may carry a CSRF token: never stored or shown. */
  fields?: Record<string, string>;
  /** What a person reads on it (shortened). */
  label: string;
}

/** What may be remembered and shown of a control: no query, no fields, no token. */
export interface ControlDescription {
  /** 'button': pressed in the live page (live-sign-out.ts), its `path` the page's. */
  how: SignOutControl['how'] | 'button';
  /** The pathname the control sends to. */
  path: string;
  label: string;
}

export interface PageFindings {
  /** Usable sign-outs, best first. */
  controls: SignOutControl[];
  /** Sign-out-looking controls that were not used, and why ("a link to another site"). */
  refused: string[];
  /** A sign-out button that works only through the page's script (no link or form to send). */
  scriptOnly: boolean;
  /** Same-origin links to the person's account or settings pages. */
  accountPages: string[];
}

const MAX_LABEL = 80;
const MAX_ACCOUNT_PAGES = 2;

export function describeControl(control: SignOutControl): ControlDescription {
  return { how: control.how, path: new URL(control.url).pathname, label: control.label };
}

export function sameControl(a: ControlDescription, b: ControlDescription): boolean {
  return a.how === b.how && a.path === b.path;
}

function shortLabel(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > MAX_LABEL ? `${t.slice(0, MAX_LABEL)}…` : t;
}

/** What a person reads on a control: its first non-empty text, else where it goes. */
export function shownLabel(texts: readonly string[], target: URL | null): string {
  return shortLabel(texts.find((t) => t.trim() !== '') ?? target?.pathname ?? '');
}

/**
 * How well a control reads as this browser's sign-out, from its texts (visible text, then
 * title/aria-label/alt) and, for a link or form, where it goes: 2 by its label, 1 by its address,
 * both 3; null when neither (or a look-alike). The static and the live finder judge alike through it.
 */
export function signOutScore(texts: readonly string[], target: URL | null): number | null {
  const label = normalLabel(texts.join(' '));
  const byLabel = readsAsSignOut(label) || texts.some((t) => readsAsSignOut(normalLabel(t)));
  const byPath = target !== null && SIGN_OUT_PATH.test(`${target.pathname}${target.search}`) && !LOOK_ALIKE_PATH.test(target.pathname) && !readsAsLookAlike(label);
  if (!byLabel && !byPath) return null;
  return (byLabel ? 2 : 0) + (byPath ? 1 : 0);
}

/** Why a sign-out-looking control pointing elsewhere was not used. */
export function elsewhereText(shown: string, target: URL): string {
  return t('say_goesElsewhere', shown, target.origin === 'null' ? target.protocol : target.origin);
}

function resolve(href: string, page: URL): URL | null {
  try {
    return new URL(href.trim(), page);
  } catch {
    return null;
  }
}

interface Candidate {
  how: SignOutControl['how'];
  method: 'GET' | 'POST';
  target: URL | null;
  fields?: Record<string, string>;
  /** Visible text, then title/aria-label/alt, for the label test. */
  texts: string[];
}

interface OpenLink { attrs: Record<string, string>; texts: string[] }
interface OpenForm { attrs: Record<string, string>; fields: Record<string, string>; asksForInput: boolean; submits: { texts: string[]; name?: string; value?: string }[] }
interface OpenButton { attrs: Record<string, string>; texts: string[]; submits: boolean }

const USER_INPUT = new Set(['text', 'password', 'email', 'search', 'number', 'tel', 'url', 'file']);

/** Reads the page's links and forms (one pass), then judges each. */
export function findSignOut(html: string, pageUrl: string): PageFindings {
  const page = new URL(pageUrl);
  const metas = new Map<string, string>();
  const links: { attrs: Record<string, string>; texts: string[] }[] = [];
  const forms: OpenForm[] = [];
  const loneButtons: string[][] = [];
  let link: OpenLink | null = null;
  let form: OpenForm | null = null;
  let button: OpenButton | null = null;
  const ownedElsewhere: { formId: string; submit: OpenForm['submits'][number] }[] = [];

  for (const token of scanHtml(html)) {
    if (token.type === 'text') {
      link?.texts.push(token.text);
      button?.texts.push(token.text);
      continue;
    }
    if (token.type === 'end') {
      if (token.name === 'a' && link) {
        links.push(link);
        link = null;
      } else if (token.name === 'button' && button) {
        const submit = { texts: button.texts, name: button.attrs.name, value: button.attrs.value };
        // A `form` attribute names the button's form wherever the button stands (HTML's form owner).
        if (button.submits && button.attrs.form) ownedElsewhere.push({ formId: button.attrs.form, submit });
        else if (form && button.submits) form.submits.push(submit);
        else loneButtons.push(button.texts);
        button = null;
      } else if (token.name === 'form' && form) {
        forms.push(form);
        form = null;
      }
      continue;
    }
    const { name, attrs } = token;
    const described = [attrs['aria-label'], attrs.title, attrs.alt].filter((t): t is string => Boolean(t));
    if (name === 'meta' && attrs.name) metas.set(attrs.name.toLowerCase(), attrs.content ?? '');
    else if (name === 'a') {
      if (link) links.push(link); // an unclosed <a>: closed by the next one, as in browsers
      link = { attrs, texts: [...described] };
    } else if (name === 'img' || name === 'svg') {
      link?.texts.push(...described);
      button?.texts.push(...described);
    } else if (name === 'form') {
      if (form) forms.push(form);
      form = { attrs, fields: {}, asksForInput: false, submits: [] };
    } else if (name === 'button') {
      // A type=button (or a button outside any form) submits nothing: only the page's script acts on it.
      button = { attrs, texts: [...described], submits: (attrs.type ?? 'submit').toLowerCase() === 'submit' };
    } else if ((name === 'input' || name === 'select' || name === 'textarea') && form) {
      const type = (attrs.type ?? 'text').toLowerCase();
      if (name !== 'input' || USER_INPUT.has(type)) form.asksForInput = true;
      else if (type === 'hidden' && attrs.name) form.fields[attrs.name] = attrs.value ?? '';
      else if (type === 'submit' || type === 'image') form.submits.push({ texts: [attrs.value ?? '', ...described], name: attrs.name, value: attrs.value });
    }
  }
  if (link) links.push(link);
  if (form) forms.push(form);
  for (const { formId, submit } of ownedElsewhere) {
    const owner = forms.find((f) => f.attrs.id === formId);
    if (owner) owner.submits.push(submit);
    else loneButtons.push(submit.texts);
  }

  const csrf = railsCsrf(metas);
  const candidates: Candidate[] = [];
  const accountPages: string[] = [];
  let scriptOnly = false;

  for (const l of links) {
    const href = l.attrs.href ?? '';
    const target = href && !/^\s*(javascript|data|vbscript):/i.test(href) && !href.trim().startsWith('#') ? resolve(href, page) : null;
    const verb = railsLinkMethod(l.attrs);
    if (target === null) {
      // "#" or javascript: a sign-out only the page's script can carry out.
      if (l.texts.some((t) => readsAsSignOut(normalLabel(t)))) scriptOnly = true;
      continue;
    }
    candidates.push(verb
      ? { how: 'method-link', method: 'POST', target, fields: railsMethodFields(verb, csrf), texts: l.texts }
      : { how: 'link', method: 'GET', target, texts: l.texts });
    if (!verb && target.origin === page.origin && accountPages.length < MAX_ACCOUNT_PAGES && target.href !== page.href) {
      const label = normalLabel(l.texts.join(' '));
      if ((readsAsAccount(label) || (label === '' && ACCOUNT_PATH.test(target.pathname))) && !accountPages.includes(target.href) && !readsAsSignOut(label)) {
        accountPages.push(withoutHash(target));
      }
    }
  }
  for (const f of forms) {
    if (f.asksForInput) continue; // a sign-out asks for nothing: this is a search or a sign-in
    const method = (f.attrs.method ?? 'get').toLowerCase() === 'post' ? 'POST' : 'GET';
    const target = resolve(f.attrs.action ?? '', page);
    for (const submit of f.submits.length > 0 ? f.submits : [{ texts: [] as string[] }]) {
      const fields = { ...f.fields };
      if ('name' in submit && submit.name) fields[submit.name] = submit.value ?? '';
      candidates.push({ how: 'form', method, target, fields, texts: [...submit.texts, f.attrs['aria-label'] ?? '', f.attrs.title ?? ''].filter(Boolean) });
    }
  }
  if (loneButtons.some((texts) => readsAsSignOut(normalLabel(texts.join(' '))))) scriptOnly = true;

  const refused: string[] = [];
  const scored: { control: SignOutControl; score: number }[] = [];
  for (const c of candidates) {
    if (!c.target) continue;
    const score = signOutScore(c.texts, c.target);
    if (score === null) continue;
    const shown = shownLabel(c.texts, c.target);
    if (c.target.protocol !== page.protocol || c.target.origin !== page.origin) {
      refused.push(elsewhereText(shown, c.target));
      continue;
    }
    const control: SignOutControl = { how: c.how, method: c.method, url: withoutHash(c.target), label: shown };
    if (c.fields) control.fields = c.fields;
    scored.push({ control, score: score + (c.how === 'link' ? 0 : 0.5) });
  }
  // Best first; the same request offered twice (header and footer) once.
  scored.sort((a, b) => b.score - a.score);
  const seen = new Set<string>();
  const controls = scored.map((s) => s.control).filter((c) => {
    const key = `${c.how} ${c.method} ${c.url}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { controls, refused, scriptOnly, accountPages };
}

function withoutHash(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}
