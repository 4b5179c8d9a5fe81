import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import en from '../../_locales/en/messages.json';
import de from '../../_locales/de/messages.json';
import { formatMessage, messageSource, placeholdersUsed, type MessagesFile } from '../../src/i18n/messages-file';
import { say, setMessageSource, t, tp, uiLocale, type Said } from '../../src/i18n/t';
import { summariseJob } from '../../src/sessions/job-view';
import type { Job, LinkedAccount } from '../../src/sessions/types';
import { timeAgo } from '../../src/ui/time';

const ROOT = resolve(import.meta.dirname, '../..');
const files: Record<string, MessagesFile> = { en, de };
const speak = (lang: 'en' | 'de', ui: string = lang) => setMessageSource(messageSource(files[lang]!, ui));
afterEach(() => speak('en'));

describe('the languages', () => {
  it('have the same keys', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same placeholders, each defined, numbered the same', () => {
    for (const [key, entry] of Object.entries(en) as [string, MessagesFile[string]][]) {
      const other = (de as MessagesFile)[key]!;
      expect(placeholdersUsed(other.message), key).toEqual(placeholdersUsed(entry.message));
      expect(Object.keys(entry.placeholders ?? {}).sort(), key).toEqual(placeholdersUsed(entry.message));
      expect(other.placeholders, key).toEqual(entry.placeholders);
    }
  });

  it('say something in every message, with no stray $ a browser would show', () => {
    for (const file of Object.values(files)) {
      for (const [key, entry] of Object.entries(file)) {
        expect(entry.message.trim(), key).not.toBe('');
        expect(formatMessage(entry, ['1', '2', '3', '4', '5', '6', '7', '8', '9']), key).not.toMatch(/\$/);
      }
    }
  });

  it('hold no key the code never asks for', () => {
    const read = (dir: string): string => readdirSync(dir, { withFileTypes: true })
      .map((d) => (d.isDirectory() ? read(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? readFileSync(join(dir, d.name), 'utf8') : '')).join('\n');
    const code = read(join(ROOT, 'src')) + readFileSync(join(ROOT, 'manifest.json'), 'utf8');
    // Made at run time: outcome_<verb>_<status>[_at] (outcome-text.ts), connector_<id>_* (connector-text.ts).
    const built = /^(outcome|connector)_/;
    const unused = Object.keys(en).filter((key) => {
      const base = key.replace(/_(one|other)$/, '');
      return !built.test(key) && !code.includes(`'${key}'`) && !code.includes(`'${base}'`) && !code.includes(`__MSG_${key}__`);
    });
    expect(unused).toEqual([]);
  });

  it('come in pairs for plurals: every _one has its _other', () => {
    for (const key of Object.keys(en)) {
      if (key.endsWith('_one')) expect(Object.keys(en), key).toContain(key.replace(/_one$/, '_other'));
    }
  });
});

describe('plural messages', () => {
  it('take the count first (tp passes it as $1) and number every other placeholder alike in both forms', () => {
    const forms = Object.keys(en).filter((key) => key.endsWith('_one'));
    expect(forms.length).toBeGreaterThan(10);
    for (const one of forms) {
      for (const key of [one, one.replace(/_one$/, '_other')]) {
        const placeholders = (en as MessagesFile)[key]!.placeholders ?? {};
        for (const [name, { content }] of Object.entries(placeholders)) {
          if (content === '$1') expect(name, `${key}: $1 is the count`).toBe('count');
        }
      }
      const a = (en as MessagesFile)[one]!.placeholders ?? {};
      const b = (en as MessagesFile)[one.replace(/_one$/, '_other')]!.placeholders ?? {};
      for (const name of Object.keys(a)) if (name in b) expect(a[name], `${one}: ${name}`).toEqual(b[name]);
    }
  });

  it('say the shared cookies and an empty preview with their own words, not the count', () => {
    expect(tp('sharedCookies', 1, '“sid”', 'example.com')).toBe('Also removed the cookie “sid” of example.com. Every site under example.com receives it, so you may be signed out of those sites too.');
    expect(tp('preview_nothing', 1, 'the pasted text', 'otpauth links')).toMatch(/^No code could be read from the pasted text \(otpauth links\)/);
  });
});

describe('formatMessage (chrome.i18n rules)', () => {
  it('fills named placeholders from positional substitutions, case-insensitively, and keeps $$ as $', () => {
    const entry = { message: 'Signed in as $Account$ · $$$count$', placeholders: { account: { content: '$1' }, count: { content: '$2' } } };
    expect(formatMessage(entry, ['ada', '3'])).toBe('Signed in as ada · $3');
  });
});

describe('t and tp', () => {
  it('reads the installed language and picks the plural by the count', () => {
    expect(tp('sessions_count', 1)).toBe('1 session');
    expect(tp('sessions_count', 3)).toBe('3 sessions');
    speak('de');
    expect(tp('sessions_count', 1)).toBe('1 Sitzung');
    expect(tp('sessions_count', 1234)).toBe('1.234 Sitzungen');
    expect(say({ plural: 'sessions_count', count: 2 })).toBe('2 Sitzungen');
  });

  it('uses the browser’s regional locale when the messages are in its language, else the messages’ own', () => {
    speak('en', 'en-GB');
    expect(uiLocale()).toBe('en-GB');
    speak('en', 'fr');
    expect(uiLocale()).toBe('en');
    speak('de', 'de-AT');
    expect(uiLocale()).toBe('de-AT');
  });

  it('keeps its formatters per locale: a change of language formats numbers and dates in the new one', () => {
    // Formatters are cached (a list re-renders every second); the cache must not outlive a language change.
    speak('en');
    expect(tp('sessions_count', 1234)).toBe('1,234 sessions');
    expect(timeAgo(Date.UTC(2024, 0, 1), Date.UTC(2024, 5, 1))).toBe('Jan 1, 2024');
    speak('de');
    expect(tp('sessions_count', 1234)).toBe('1.234 Sitzungen');
    expect(timeAgo(Date.UTC(2024, 0, 1), Date.UTC(2024, 5, 1))).toBe('01.01.2024');
    speak('en');
    expect(tp('sessions_count', 1234)).toBe('1,234 sessions');
  });

  it('shows a missing key as itself, never an empty string', () => {
    expect(t('no_such_key' as never)).toBe('no_such_key');
  });
});

describe('domain sentences, put into words by whoever shows them', () => {
  it('says a sign-out everywhere in German when given German words', () => {
    const de_ = messageSource(de, 'de');
    const words = (s: Said) => { setMessageSource(de_); try { return say(s); } finally { speak('en'); } };
    const account = { id: 'a', connectorId: 'generic', origin: 'https://app.example.com', label: 'Arbeit', settings: {}, createdAt: 0 } as unknown as LinkedAccount;
    const job = { id: 'j', kind: 'sign-out-everywhere', startedAt: 0, reason: { kind: 'other' }, steps: [{ accountId: 'a', account, plan: 'all', state: 'pending' }] } as unknown as Job;
    const [step] = summariseJob(job, words).perAccount;
    expect(step!.name).toBe('Arbeit auf app.example.com');
    expect(step!.server).toEqual({ status: 'not-confirmed', seen: 'Dieser Schritt wurde nicht ausgeführt.' });
    expect(summariseJob(job).perAccount[0]!.name).toBe('Arbeit on app.example.com');
  });
});

describe('timeAgo', () => {
  const now = Date.UTC(2026, 10, 26, 12);
  it('says how long ago in the browser’s language', () => {
    expect(timeAgo(now - 10_000, now)).toBe('just now');
    expect(timeAgo(now - 3 * 60_000, now)).toBe('3 min. ago');
    expect(timeAgo(now - 5 * 3_600_000, now)).toBe('5 hr. ago');
    expect(timeAgo(now - 86_400_000, now)).toBe('yesterday');
    expect(timeAgo(now - 3 * 86_400_000, now)).toBe('3 days ago');
    expect(timeAgo(now + 2 * 86_400_000, now)).toBe('in 2 days');
    expect(timeAgo(now - 30 * 86_400_000, now)).toBe('Oct 27, 2026');
    speak('de');
    expect(timeAgo(now - 10_000, now)).toBe('gerade eben');
    expect(timeAgo(now - 3 * 60_000, now)).toBe('vor 3 Min.');
    expect(timeAgo(now - 3 * 86_400_000, now)).toBe('vor 3 Tagen');
    expect(timeAgo(now + 2 * 86_400_000, now)).toBe('übermorgen');
    expect(timeAgo(now - 30 * 86_400_000, now)).toBe('27.10.2026');
  });
});
