import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FOR_THE_LOG, scanBackground, scanErrors, scanHtml, scanSource } from './i18n-scan';

const ROOT = resolve(import.meta.dirname, '../..');
/** Every page's code: what a person reads is made here. */
const PAGE_DIRS = ['src/popup', 'src/options', 'src/welcome', 'src/ui'];
const PAGES = ['popup.html', 'options.html', 'welcome.html'];

const texts = (file: string, source: string) => scanSource(file, source).map((f) => `${f.why}: ${f.text}`);

describe('the i18n scanner', () => {
  it('finds planted English in JSX text, user-facing props, sinks and sentences in code', () => {
    const planted = `
      export function P({ n }) {
        const hint = 'Write the reason in a few words.';
        setError('Could not copy');
        return (
          <div title="Open the site" aria-label={n ? 'Codes' : t('tab_codes')}>
            Nothing here yet
            {n > 1 ? 'sites' : t('x')}
            <Picker confirmLabel="End session" />
            <input placeholder={\`Search \${n}\`} />
            <img alt="Logo" />
          </div>
        );
      }
      const e = new AppError('internal', 'Something broke.');`;
    expect(texts('planted.tsx', planted)).toEqual([
      'sentence in code: Write the reason in a few words.',
      'setError(): Could not copy',
      'title attribute: Open the site',
      'aria-label attribute: Codes',
      'JSX text: Nothing here yet',
      'string in JSX: sites',
      'confirmLabel attribute: End session',
      'placeholder attribute: Search',
      'alt attribute: Logo',
      'new AppError(): Something broke.',
    ]);
  });

  it('lets through what is not words to translate', () => {
    const clean = `
      import { t } from '../i18n/t';
      export function P({ n, name }) {
        setMessage({ kind: 'error', text: t('scan_none') });
        if (n === 'server-sent') console.log('A developer note.');
        const e = new AppError('internal', 'For the log.', { key: 'client_noAnswer' });
        return (
          <div class="row muted small" data-step="server-sent" role="status" aria-label={t('tab_codes')}>
            ✓ {t('x', n)} · {name} ★ 42 — Revoke
            <input type="search" placeholder="JBSW Y3DP EHPK 3PXP" autoComplete="off" />
          </div>
        );
      }
      throw new Error('Not for people: a bug.');`;
    expect(texts('clean.tsx', clean)).toEqual([]);
  });

  it('finds a fixed title or language in an HTML page', () => {
    expect(scanHtml('p.html', '<html lang="en"><head><title>Revoke settings</title>').map((f) => f.why)).toEqual(['<title>', 'fixed lang attribute']);
    expect(scanHtml('p.html', '<html><head><title>Revoke</title>')).toEqual([]);
  });
});

describe('the error scanner', () => {
  it('finds a refusal a page may show that carries no key, and lets through keyed, marked and wordless ones', () => {
    const planted = `
      throw new ConnectorError('forbidden', \`\${host} refused the request.\`, detail);
      throw new AppError('not-found', 'That session is no longer listed.');
      throw new AppError('not-found', 'That session is no longer listed.', { key: 'words_sessionGone' });
      throw connectorError('forbidden', { key: 'connErr_refused', subs: [host] });
      throw new VaultError('invalid-input', message);
      // Only a bug meets this, so ${FOR_THE_LOG}.
      throw new SessionsError('invalid-input', 'Say which sessions to end.');
      throw new Error('Not for people: a bug.');`;
    expect(scanErrors('planted.ts', planted).map((f) => `${f.line} ${f.text}`)).toEqual([
      '2 … refused the request.',
      '3 That session is no longer listed.',
    ]);
  });
});

/** Every .ts/.tsx file under a folder of the repository. */
const sourcesUnder = (dir: string): string[] => readdirSync(join(ROOT, dir), { withFileTypes: true })
  .flatMap((d) => (d.isDirectory() ? sourcesUnder(`${dir}/${d.name}`) : /\.tsx?$/.test(d.name) ? [`${dir}/${d.name}`] : []));

describe('the background scanner', () => {
  const found = (source: string) => scanBackground('planted.ts', source).map((f) => `${f.line} ${f.why}: ${f.text}`);

  it('finds English in notifications, in what notify() is given, and sentences in code', () => {
    const planted = `
      await browser.notifications.create('revoke/done', { type: 'basic', iconUrl: 'icons/icon.png', title: 'Signed out', message: \`\${n} sites done\` });
      await notify(t('notify_done_title'), 'Nothing to sign out of.');
      const n = { id: \`revoke-watch|\${id}\`, title: t('x'), message: ok ? t('y') : 'Could not look', buttons: [{ title: 'That was me' }] };
      chrome.notifications.create({ type: 'basic', title: 'Revoke warns' });
      const reason = { kind: 'other', text: 'Pressed the keyboard shortcut.' };
      return 'Ended by a rule.';`;
    expect(found(planted)).toEqual([
      '2 notification title: Signed out',
      '2 notification message: sites done',
      '3 notify(): Nothing to sign out of.',
      '4 notification message: Could not look',
      '4 notification title: That was me',
      '5 notification title: Revoke warns',
      '6 sentence in code: Pressed the keyboard shortcut.',
      '7 sentence in code: Ended by a rule.',
    ]);
  });

  it('lets through ids, icons, errors, log lines, messages kept for the log beside their key, and reviewers’ text', () => {
    const clean = `
      await browser.notifications.create('revoke/sign-out-everywhere', { type: 'basic', iconUrl: browser.runtime.getURL('icons/icon-128.png'), title, message });
      await notify(t('notify_nothing_title'), t('notify_nothing'));
      const n = { id: \`\${PREFIX}-problem|\${account.id}\`, title: t('watch_problem_title', name), message: \`\${what} \${outcomeLine(o)}\` };
      return { code: 'internal', message: \`Something went wrong inside Revoke: \${m}\`, said: { key: 'internalError', subs: [m] } };
      await chrome.offscreen.createDocument({ url: OFFSCREEN_URL, justification: 'Clear a copied code from the clipboard, if it is still there.' });
      throw new AppError('invalid-input', 'Name the account and the session.');
      console.warn('The worker restarted.');`;
    expect(found(clean)).toEqual([]);
  });
});

describe('errors a page may show', () => {
  it('carry their words as a key everywhere in src/, unless marked as only a bug can meet them', () => {
    const findings = sourcesUnder('src').flatMap((file) => scanErrors(file, readFileSync(join(ROOT, file), 'utf8')))
      .map((f) => `${f.file}: ${f.text}`);
    expect(findings).toEqual([]);
  });
});

describe('the pages', () => {
  it('send every string a person reads through i18n', () => {
    const findings: string[] = [];
    for (const dir of PAGE_DIRS) {
      for (const file of readdirSync(join(ROOT, dir)).filter((f) => /\.tsx?$/.test(f))) {
        for (const f of scanSource(`${dir}/${file}`, readFileSync(join(ROOT, dir, file), 'utf8'))) findings.push(`${f.file}:${f.line} ${f.why}: ${f.text}`);
      }
    }
    for (const page of PAGES) for (const f of scanHtml(page, readFileSync(join(ROOT, page), 'utf8'))) findings.push(`${f.file}:${f.line} ${f.why}: ${f.text}`);
    expect(findings).toEqual([]);
  });
});

describe('the background', () => {
  const files = sourcesUnder('src/background');
  const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

  it('sends every string a person reads (notifications, recorded reasons) through i18n', () => {
    expect(files).toEqual(expect.arrayContaining(['src/background/index.ts', 'src/background/watch-notices.ts']));
    const findings = files.flatMap((file) => scanBackground(file, read(file))).map((f) => `${f.file}:${f.line} ${f.why}: ${f.text}`);
    expect(findings).toEqual([]);
  });

  it('would see English put into the real notifications (the scan reaches them)', () => {
    // The real sources with one key swapped for English each: the scan must notice every swap.
    const swaps: [string, string, string][] = [
      ['src/background/index.ts', "notify(t('notify_nothing_title'), t('notify_nothing'))", "notify(t('notify_nothing_title'), 'No linked accounts.')"],
      ['src/background/index.ts', "text: t('reason_keyboardShortcut')", "text: 'Pressed the keyboard shortcut.'"],
      ['src/background/watch-notices.ts', "{ title: t('watch_thatWasMe') }", "{ title: 'That was me' }"],
      ['src/background/watch-notices.ts', "title: t('watch_problem_title', nameOf(n.account))", "title: 'Revoke cannot audit'"],
    ];
    for (const [file, from, to] of swaps) {
      const source = read(file);
      expect(source, `${file} no longer holds ${from}`).toContain(from);
      expect(scanBackground(file, source.replace(from, to)).map((f) => f.text), `${file}: ${to}`).toHaveLength(1);
    }
  });
});
