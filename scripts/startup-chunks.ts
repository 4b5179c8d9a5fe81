/**
 * Puts what the popup runs before its first frame into three chunks, so the page loads four scripts
 * and one stylesheet instead of about twenty files. Each file an extension page loads is a separate
 * request through the browser process; traced in Chromium, the popup's entry began running ~60 ms
 * after its HTML was parsed, waiting on those requests, while a blank page's one script runs at once.
 *
 * The modules of the start-up graph (the entry, the views it imports at once, and everything they
 * import statically) are split by who else can load them (statically or dynamically):
 *   start-core    the service worker too (messages, the vault's storage, settings): so the worker
 *                 loads nothing of the UI
 *   start-shared  other pages (options, welcome), not the worker: Preact, the shared UI
 *   start-page    the popup alone: its entry and views, whose top-level code runs wherever the
 *                 chunk is loaded, so no other page may load it
 * A page that uses one module of a group loads all of it: a few kilobytes more than it needs.
 * Stylesheets stay out of the groups (a page's CSS follows its JS chunks, and the popup's rules
 * must not reach the options page): the popup links its stylesheet from popup.html.
 */
import type { Plugin } from 'vite';

type ModuleInfo = { importedIds: readonly string[]; dynamicallyImportedIds: readonly string[] } | null;

/** `roots` and every module they import (statically, or dynamically too), followed transitively. */
export function moduleClosure(info: (id: string) => ModuleInfo, roots: readonly string[], dynamic = false): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const m = info(id);
    queue.push(...(m?.importedIds ?? []), ...(dynamic ? (m?.dynamicallyImportedIds ?? []) : []));
  }
  return seen;
}

const isStyle = (id: string) => /\.(css|scss|less)(\?|$)/.test(id);

export interface Graphs {
  /**
   * The popup's module sets in the order it needs them, each holding only what the sets before it
   * lack: `start` (what it runs before its first frame), then one per tab it loads on demand.
   */
  sets: Map<string, ReadonlySet<string>>;
  /** What the worker can load. */
  worker: ReadonlySet<string>;
  /** What any other entry (page or worker) can load. */
  others: ReadonlySet<string>;
}

/** Three groups per set (see the top of this file); the sets are read when Rolldown asks, once the module graph is known. */
export function startupGroups(names: readonly string[], graphs: Graphs) {
  return names.flatMap((name, i) => {
    const has = (id: string) => !isStyle(id) && (graphs.sets.get(name)?.has(id) ?? false);
    const priority = (names.length - i) * 3;
    return [
      { name: `${name}-core`, priority, test: (id: string) => has(id) && graphs.worker.has(id) },
      { name: `${name}-shared`, priority: priority - 1, test: (id: string) => has(id) && !graphs.worker.has(id) && graphs.others.has(id) },
      { name: `${name}-page`, priority: priority - 2, test: (id: string) => has(id) && !graphs.others.has(id) },
    ];
  });
}

/**
 * page: the popup's HTML; sets: its module sets by name, `start` first (its entry script and the
 * modules that script imports dynamically at once), then each tab's modules it loads on demand;
 * worker: the service worker's entry (paths from the project root). Fails the build when one is
 * not in the module graph, so a rename cannot quietly undo the grouping.
 */
export function startupChunks(opts: { page: string; sets: Record<string, string[]>; worker: string }): Plugin {
  const names = Object.keys(opts.sets);
  const graphs: Graphs = { sets: new Map(), worker: new Set(), others: new Set() };
  return {
    name: 'revoke-startup-chunks',
    apply: 'build',
    buildEnd(error) {
      if (error) return;
      const ids = [...this.getModuleIds()];
      const find = (path: string) => {
        const id = ids.find((i) => i.replace(/\\/g, '/').endsWith(`/${path}`));
        if (!id) throw new Error(`startupChunks: ${path} is not in the build; check vite.config.ts.`);
        return id;
      };
      const info = (id: string) => this.getModuleInfo(id);
      const page = find(opts.page);
      const otherEntries = ids.filter((id) => id !== page && info(id)?.isEntry);
      const before = new Set<string>();
      for (const name of names) {
        const beyond = [...moduleClosure(info, opts.sets[name]!.map(find))].filter((id) => !before.has(id));
        beyond.forEach((id) => before.add(id));
        graphs.sets.set(name, new Set(beyond));
      }
      graphs.worker = moduleClosure(info, [find(opts.worker)], true);
      graphs.others = moduleClosure(info, [...otherEntries, find(opts.worker)], true);
    },
    outputOptions(output) {
      return { ...output, codeSplitting: { groups: startupGroups(names, graphs) } };
    },
  };
}
