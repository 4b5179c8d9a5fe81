/** The popup's start-up modules, then its Sessions tab's, go into three chunks each, split by who else can load them (scripts/startup-chunks.ts). */
import { describe, expect, it } from 'vitest';
import { moduleClosure, startupGroups } from '../../scripts/startup-chunks';

// popup: main -> prefetch -> messages, main -> popup.css; view (a start module) -> preact, App -> CodesView;
//        App ..> SessionsView (dynamic, later). worker -> messages; worker ..> connectors (dynamic).
// options -> preact, Untrusted; options ..> CodesView (dynamic: it may load it later).
const graph: Record<string, { importedIds: string[]; dynamicallyImportedIds: string[] }> = {};
const mod = (id: string, imports: string[] = [], dynamic: string[] = []) => (graph[`/r/${id}`] = {
  importedIds: imports.map((i) => `/r/${i}`), dynamicallyImportedIds: dynamic.map((i) => `/r/${i}`),
});
mod('src/popup/main.tsx', ['src/popup/prefetch.ts', 'src/popup/popup.css']);
mod('src/popup/prefetch.ts', ['src/lib/messages.ts']);
mod('src/popup/view.tsx', ['node_modules/preact/index.js', 'src/popup/App.tsx']);
mod('src/popup/App.tsx', ['src/popup/CodesView.tsx', 'src/lib/messages.ts', 'src/ui/Untrusted.tsx'], ['src/popup/SessionsView.tsx']);
mod('src/popup/CodesView.tsx');
mod('src/popup/SessionsView.tsx', ['node_modules/preact/index.js', 'src/sessions/db.ts', 'src/ui/PasswordField.tsx']);
mod('src/sessions/db.ts');
mod('src/ui/PasswordField.tsx');
mod('src/ui/Untrusted.tsx');
mod('node_modules/preact/index.js');
mod('src/lib/messages.ts');
mod('src/popup/popup.css');
mod('src/background/index.ts', ['src/lib/messages.ts', 'src/sessions/db.ts'], ['src/connectors/index.ts']);
mod('src/connectors/index.ts');
mod('src/options/main.tsx', ['node_modules/preact/index.js', 'src/ui/Untrusted.tsx', 'src/ui/PasswordField.tsx'], ['src/popup/CodesView.tsx']);
const info = (id: string) => graph[id] ?? null;
const short = (ids: Iterable<string>) => [...ids].map((id) => id.replace('/r/', '')).sort();

describe('the popup start-up chunks', () => {
  const start = moduleClosure(info, ['/r/src/popup/main.tsx', '/r/src/popup/view.tsx']);
  const sessions = new Set([...moduleClosure(info, ['/r/src/popup/SessionsView.tsx'])].filter((id) => !start.has(id)));
  const worker = moduleClosure(info, ['/r/src/background/index.ts'], true);
  const others = moduleClosure(info, ['/r/src/options/main.tsx', '/r/src/background/index.ts'], true);
  const groups = startupGroups(['start', 'sessions'], { sets: new Map([['start', start], ['sessions', sessions]]), worker, others });
  const captured = (name: string) => short(Object.keys(graph).filter((id) => groups.find((g) => g.name === name)!.test(id)));

  it('follows static imports from the start modules, and dynamic ones only when asked', () => {
    expect(short(start)).toEqual([
      'node_modules/preact/index.js', 'src/lib/messages.ts', 'src/popup/App.tsx', 'src/popup/CodesView.tsx',
      'src/popup/main.tsx', 'src/popup/popup.css', 'src/popup/prefetch.ts', 'src/popup/view.tsx', 'src/ui/Untrusted.tsx',
    ]);
    expect(short(worker)).toEqual(['src/background/index.ts', 'src/connectors/index.ts', 'src/lib/messages.ts', 'src/sessions/db.ts']);
  });

  it('gives the worker only what it loads itself', () => {
    expect(captured('start-core')).toEqual(['src/lib/messages.ts']);
  });

  it('shares with other pages what they can load, a module they may import later included', () => {
    expect(captured('start-shared')).toEqual(['node_modules/preact/index.js', 'src/popup/CodesView.tsx', 'src/ui/Untrusted.tsx']);
  });

  it("keeps the popup's own modules, its entry above all, where no other page loads them; stylesheets and later modules in no group", () => {
    expect(captured('start-page')).toEqual(['src/popup/App.tsx', 'src/popup/main.tsx', 'src/popup/prefetch.ts', 'src/popup/view.tsx']);
    const grouped = groups.flatMap((g) => Object.keys(graph).filter((id) => g.test(id)));
    expect(grouped).toHaveLength(new Set(grouped).size);
    expect(short(Object.keys(graph).filter((id) => !grouped.includes(id)))).toEqual([
      'src/background/index.ts', 'src/connectors/index.ts', 'src/options/main.tsx', 'src/popup/popup.css',
    ]);
  });

  it("splits the Sessions tab's modules beyond the start-up ones the same way, in chunks of their own", () => {
    expect(captured('sessions-core')).toEqual(['src/sessions/db.ts']);
    expect(captured('sessions-shared')).toEqual(['src/ui/PasswordField.tsx']);
    expect(captured('sessions-page')).toEqual(['src/popup/SessionsView.tsx']);
  });

  it('takes nothing before the module graph is known', () => {
    const empty = startupGroups(['start', 'sessions'], { sets: new Map(), worker: new Set(), others: new Set() });
    expect(Object.keys(graph).some((id) => empty.some((g) => g.test(id)))).toBe(false);
  });
});
