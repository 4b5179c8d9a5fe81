/**
 * Lets a page fetch a module it imports dynamically while its entry is still loading. The popup's
 * entry is kept small so it can start its reads at once, and imports its views dynamically
 * (src/popup/main.tsx); without this, the views' scripts would only be requested once the entry
 * has run. `<link rel="modulepreload">` fetches (and may compile) them but runs nothing: they still
 * run when the entry imports them. Fails the build if a named module is not a dynamic import of
 * the page, so a rename cannot silently drop the preload.
 */
import type { Plugin } from 'vite';
import type { OutputBundle, OutputChunk } from 'rolldown';

/** The chunk files `file` needs to run: itself and its static imports, followed transitively. */
export function staticClosure(bundle: Pick<OutputBundle, string>, file: string): string[] {
  const seen = new Set<string>();
  const visit = (f: string) => {
    const chunk = bundle[f];
    if (seen.has(f) || chunk?.type !== 'chunk') return;
    seen.add(f);
    chunk.imports.forEach(visit);
  };
  visit(file);
  return [...seen];
}

/** pages: HTML file -> modules (paths from the project root) it imports dynamically and should preload. */
export function preloadLazyStart(pages: Record<string, string[]>): Plugin {
  return {
    name: 'revoke-preload-lazy-start',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const page = ctx.path.replace(/^\//, '');
        const wanted = pages[page];
        if (!wanted || !ctx.bundle || !ctx.chunk) return html;
        const bundle = ctx.bundle;
        const entry = ctx.chunk;
        const already = new Set(staticClosure(bundle, entry.fileName));
        const files: string[] = [];
        for (const module of wanted) {
          const chunk = entry.dynamicImports
            .map((f) => bundle[f])
            .find((c): c is OutputChunk => c?.type === 'chunk' && (c.facadeModuleId ?? '').replace(/\\/g, '/').endsWith(`/${module}`));
          if (!chunk) throw new Error(`${page} does not import ${module} dynamically; check preloadLazyStart in vite.config.ts.`);
          for (const f of staticClosure(bundle, chunk.fileName)) if (!already.has(f) && !files.includes(f)) files.push(f);
        }
        return {
          html,
          tags: files.map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` }, injectTo: 'head' as const })),
        };
      },
    },
  };
}
