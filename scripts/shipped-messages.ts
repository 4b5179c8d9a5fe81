/**
 * The shipped copy of _locales/<lang>/messages.json, smaller (about 6 KB of the zip): no
 * descriptions (they are for translators), no indentation, and each named placeholder written
 * into its message as the substitution it stands for ("Found $codes$" with codes = "$1" ships as
 * "Found $1"). Both browsers substitute $1..$9 in a message after its named placeholders
 * (Chromium's MessageBundle / i18n GetMessage, Firefox's ExtensionCommon localizeMessage), so
 * what a page reads is the same; the e2e German tests run this copy in both.
 * A message where the result would read as a named placeholder again (two substitutions side by
 * side, "$1$2") keeps its placeholders. The source files stay as translators edit them.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';

type Entry = { message: string; description?: string; placeholders?: Record<string, { content: string; example?: string }> };

const NAMED = /\$([a-z0-9_@]+)\$/gi;

export function compactMessages(file: Record<string, Entry>): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  for (const [key, entry] of Object.entries(file)) {
    const contents = new Map(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
    const inlined = entry.message.replace(NAMED, (whole, name: string) => {
      const content = contents.get(name.toLowerCase());
      if (content === undefined) throw new Error(`messages.json: ${key} uses $${name}$, which it does not define.`);
      return content;
    });
    out[key] = new RegExp(NAMED.source, 'i').test(inlined) || /\$\$/.test(entry.message)
      ? { message: entry.message, ...(entry.placeholders && { placeholders: Object.fromEntries(Object.entries(entry.placeholders).map(([n, p]) => [n, { content: p.content }])) }) }
      : { message: inlined };
  }
  return out;
}

/** Vite plugin: after the build is written, compacts every dist/_locales/<lang>/messages.json. */
export function shippedMessages(): Plugin {
  let outDir = '';
  return {
    name: 'revoke-shipped-messages',
    apply: 'build',
    configResolved(config) {
      // resolve, not join: an absolute outDir (the size breakdown's map build) stays as it is.
      outDir = resolve(config.root, config.build.outDir);
    },
    writeBundle: {
      order: 'post',
      handler() {
        const locales = join(outDir, '_locales');
        for (const lang of readdirSync(locales)) {
          const path = join(locales, lang, 'messages.json');
          writeFileSync(path, JSON.stringify(compactMessages(JSON.parse(readFileSync(path, 'utf8')) as Record<string, Entry>)));
        }
      },
    },
  };
}
