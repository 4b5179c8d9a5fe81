/**
 * Every sentence a person reads goes through here: the browser's i18n (`_locales/<lang>/messages.json`)
 * in pages and the background. Keys are typed from the English file, so a missing or misspelt key
 * fails `tsc`. Unit tests run without a browser: test/unit/i18n-setup.ts installs the English file
 * as the source (see messages-file.ts).
 */
import type en from '../../_locales/en/messages.json';

export type MessageKey = keyof typeof en;
/** Keys that come as a pair `<base>_one` / `<base>_other`: a count picks one (English and German need no more). */
export type PluralKey = { [K in MessageKey]: K extends `${infer B}_other` ? (`${B}_one` extends MessageKey ? B : never) : never }[MessageKey];
export type Sub = string | number;

/**
 * A sentence as data. Domain code (no browser, no UI) returns this instead of text; whoever shows
 * it turns it into words with `say`. Crosses the message boundary as it is (plain JSON).
 */
export type Said = { key: MessageKey; subs?: Sub[] } | { plural: PluralKey; count: number; subs?: Sub[] };

export interface MessageSource {
  getMessage(key: string, subs?: string[]): string;
  getUILanguage(): string;
}

let installed: MessageSource | undefined;

/** Replaces the browser's i18n (unit tests, which have none). */
export function setMessageSource(source: MessageSource | undefined): void {
  installed = source;
  locale = undefined;
}

function source(): MessageSource {
  if (installed) return installed;
  const g = globalThis as { browser?: { i18n?: MessageSource }; chrome?: { i18n?: MessageSource } };
  const i18n = g.browser?.i18n ?? g.chrome?.i18n;
  if (!i18n) throw new Error('No i18n source: not in an extension, and none installed with setMessageSource.');
  return i18n;
}

let locale: string | undefined;

/**
 * The locale for dates, numbers and plural rules: the browser's UI language when the messages are
 * in that language (en-GB gets its day-month dates), else the messages' own language, so that a
 * French browser reading English messages does not get "il y a 3 min" inside English sentences.
 */
export function uiLocale(): string {
  if (locale) return locale;
  const messages = t('locale');
  const ui = source().getUILanguage?.() ?? messages;
  const base = (tag: string) => tag.toLowerCase().split(/[-_]/)[0];
  let chosen = base(ui) === base(messages) ? ui.replace('_', '-') : messages;
  try {
    chosen = Intl.getCanonicalLocales(chosen)[0] ?? messages;
  } catch {
    chosen = messages;
  }
  return (locale = chosen);
}

const subsOf = (subs: Sub[]) => subs.map((s) => (typeof s === 'number' ? formatNumber(s) : s));

/** The message in the browser's language. A key the files lack shows as itself (the tests catch that). */
export function t(key: MessageKey, ...subs: Sub[]): string {
  return source().getMessage(key, subsOf(subs)) || key;
}

/** "1 session" / "3 sessions": the count's plural category picks the key; the count is the first substitution. */
export function tp(base: PluralKey, count: number, ...subs: Sub[]): string {
  const category = new Intl.PluralRules(uiLocale()).select(count) === 'one' ? 'one' : 'other';
  return t(`${base}_${category}` as MessageKey, count, ...subs);
}

export function say(said: Said): string {
  return 'plural' in said ? tp(said.plural, said.count, ...(said.subs ?? [])) : t(said.key, ...(said.subs ?? []));
}

// Made once per locale and precision: a formatter costs far more than formatting, and an import
// labels every line of a 100,000-line file with a number.
const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(n: number, fractionDigits?: number): string {
  const id = `${uiLocale()}/${fractionDigits ?? ''}`;
  let format = numberFormats.get(id);
  if (!format) {
    format = new Intl.NumberFormat(uiLocale(), fractionDigits === undefined ? {} : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
    numberFormats.set(id, format);
  }
  return format.format(n);
}

/** "a, b and c" / "a, b und c". */
export const formatList = (items: string[]) => new Intl.ListFormat(uiLocale(), { type: 'conjunction' }).format(items);

/**
 * A message whose key is made at run time (a connector's id), or undefined when the files lack
 * it: the caller falls back to the English it has. Typed keys (t) are the rule; this is the exception.
 */
export function tIfKnown(key: string, ...subs: Sub[]): string | undefined {
  return source().getMessage(key, subsOf(subs)) || undefined;
}
