/** The popup's views are preloaded from its HTML while the entry starts the reads (scripts/preload-lazy-start.ts). */
import { describe, expect, it } from 'vitest';
import { preloadLazyStart } from '../../scripts/preload-lazy-start';

const chunk = (fileName: string, imports: string[], dynamicImports: string[] = [], facadeModuleId: string | null = null) =>
  ({ type: 'chunk', fileName, imports, dynamicImports, facadeModuleId });

// entry -> shared (static), entry ..> view (dynamic) -> shared, preact -> runtime; entry ..> scan (dynamic, not asked for)
const bundle = {
  'assets/popup.js': chunk('assets/popup.js', ['assets/shared.js'], ['assets/view.js', 'assets/scan.js'], '/repo/popup.html'),
  'assets/shared.js': chunk('assets/shared.js', []),
  'assets/view.js': chunk('assets/view.js', ['assets/shared.js', 'assets/preact.js'], [], '/repo/src/popup/view.tsx'),
  'assets/preact.js': chunk('assets/preact.js', ['assets/runtime.js']),
  'assets/runtime.js': chunk('assets/runtime.js', []),
  'assets/scan.js': chunk('assets/scan.js', ['assets/preact.js'], [], '/repo/src/popup/scan.ts'),
  'assets/popup.css': { type: 'asset', fileName: 'assets/popup.css' },
};

function run(pages: Record<string, string[]>, path: string) {
  const hook = preloadLazyStart(pages).transformIndexHtml as { handler: (html: string, ctx: unknown) => unknown };
  return hook.handler('<html></html>', { path, bundle, chunk: bundle['assets/popup.js'] });
}

describe('preloading what a page imports dynamically at start', () => {
  it('adds the module and what it imports, minus what the entry already loads', () => {
    const out = run({ 'popup.html': ['src/popup/view.tsx'] }, '/popup.html') as { tags: { attrs: { href: string; rel: string } }[] };
    expect(out.tags.map((t) => [t.attrs.rel, t.attrs.href])).toEqual([
      ['modulepreload', '/assets/view.js'], ['modulepreload', '/assets/preact.js'], ['modulepreload', '/assets/runtime.js'],
    ]);
  });

  it('leaves other pages alone', () => {
    expect(run({ 'popup.html': ['src/popup/view.tsx'] }, '/options.html')).toBe('<html></html>');
  });

  it('fails the build when the module is not a dynamic import of the page', () => {
    expect(() => run({ 'popup.html': ['src/popup/views.tsx'] }, '/popup.html')).toThrow(/does not import src\/popup\/views\.tsx/);
  });
});
