/**
 * chrome.i18n's reading of a messages.json, for places without a browser (unit tests) and for
 * the tests that compare the languages: named placeholders (`$count$`, case-insensitive) whose
 * `content` refers to substitutions `$1`..`$9`, which a message may also use itself (the shipped
 * copy does: scripts/shipped-messages.ts); `$$` is a dollar sign.
 */
import type { MessageSource } from './t';

export interface MessagesFile {
  [key: string]: { message: string; description?: string; placeholders?: Record<string, { content: string; example?: string }> };
}

export function formatMessage(entry: MessagesFile[string], subs: string[] = []): string {
  // As Chromium does: named placeholders become their content when the file is read; then $1..$9
  // anywhere in the result (a placeholder's content, or the message itself) take the substitutions.
  const placeholders = Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([k, v]) => [k.toLowerCase(), v.content]));
  return entry.message
    .replace(/\$([a-z0-9_@]+)\$/gi, (whole, name: string) => placeholders[name.toLowerCase()] ?? whole)
    .replace(/\$(\$|[1-9])/g, (_, d: string) => (d === '$' ? '$' : subs[Number(d) - 1] ?? ''));
}

/** Placeholder names a message uses, lower-cased, sorted. */
export function placeholdersUsed(message: string): string[] {
  return [...new Set([...message.matchAll(/\$([a-z0-9_@]+)\$/gi)].map((m) => m[1]!.toLowerCase()))].sort();
}

export function messageSource(file: MessagesFile, language: string): MessageSource {
  return {
    getMessage: (key, subs) => (file[key] ? formatMessage(file[key], subs) : ''),
    getUILanguage: () => language,
  };
}
