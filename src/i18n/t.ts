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

/**
 * Intl formatters, one per locale and options: making one costs far more than using it, and a
 * list re-renders every second (each code's countdown is a plural and a number).
 */
const formatters = new Map<string, unknown>();

function formatter<F>(kind: string, options: object, make: (locale: string) => F): F {
  const locale = uiLocale();
  const id = `${kind}|${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(id) as F | undefined;
  if (f === undefined) formatters.set(id, (f = make(locale)));
  return f;
}

/** A cached Intl formatter for the UI locale (see uiLocale). */
const pluralRules = () => formatter('plural', {}, (l) => new Intl.PluralRules(l));
const numberFormat = (o: Intl.NumberFormatOptions = {}) => formatter('number', o, (l) => new Intl.NumberFormat(l, o));
export const relativeTimeFormat = (o: Intl.RelativeTimeFormatOptions) => formatter('relative', o, (l) => new Intl.RelativeTimeFormat(l, o));
export const dateTimeFormat = (o: Intl.DateTimeFormatOptions) => formatter('datetime', o, (l) => new Intl.DateTimeFormat(l, o));
const listFormat = (o: Intl.ListFormatOptions) => formatter('list', o, (l) => new Intl.ListFormat(l, o));

const subsOf = (subs: Sub[]) => subs.map((s) => (typeof s === 'number' ? formatNumber(s) : s));

/** The message in the browser's language. A key the files lack shows as itself (the tests catch that). */
export function t(key: MessageKey, ...subs: Sub[]): string {
  return source().getMessage(key, subsOf(subs)) || key;
}

/** "1 session" / "3 sessions": the count's plural category picks the key; the count is the first substitution. */
export function tp(base: PluralKey, count: number, ...subs: Sub[]): string {
  const category = pluralRules().select(count) === 'one' ? 'one' : 'other';
  return t(`${base}_${category}` as MessageKey, count, ...subs);
}

export function say(said: Said): string {
  return 'plural' in said ? tp(said.plural, said.count, ...(said.subs ?? [])) : t(said.key, ...(said.subs ?? []));
}

export const formatNumber = (n: number, fractionDigits?: number) =>
  numberFormat(fractionDigits === undefined ? {} : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(n);

/** "a, b and c" / "a, b und c". */
export const formatList = (items: string[]) => listFormat({ type: 'conjunction' }).format(items);

/**
 * A message whose key is made at run time (a connector's id), or undefined when the files lack
 * it: the caller falls back to the English it has. Typed keys (t) are the rule; this is the exception.
 */
export function tIfKnown(key: string, ...subs: Sub[]): string | undefined {
  return source().getMessage(key, subsOf(subs)) || undefined;
}
