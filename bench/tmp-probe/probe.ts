import { markOf, seedCodes, seedSessions, withBlankPage, workerControl } from '../paint';
import { median, withExtension } from '../util';
const TAB = process.env.TAB ?? 'codes';
const dir = withBlankPage(process.argv[2] ?? 'dist');
await withExtension(dir, async (ctx, id) => {
  const page = await ctx.newPage();
  await page.goto(`chrome-extension://${id}/options.html`);
  const control = await workerControl(ctx, page, id);
  if (TAB === 'codes') await seedCodes(page); else { await page.evaluate(() => chrome.runtime.sendMessage({ type: 'sessions/overview', body: null })); await seedSessions(page); }
  const mark = TAB === 'codes' ? 'revoke:codes-painted' : 'revoke:sessions-painted';
  const rows: Record<string, number[]> = {};
  const add = (k: string, v: number) => (rows[k] ??= []).push(v);
  for (let r = 0; r < Number(process.env.ROUNDS ?? 10); r++) {
    for (const w of ['running', 'stopped']) {
      const b = await ctx.newPage(); await b.setViewportSize({ width: 360, height: 600 });
      add(`${w} blank`, await markOf(b, `chrome-extension://${id}/bench-blank.html`, 'revoke:blank-painted')); await b.close();
      if (w === 'stopped') await control.stop();
      const p = await ctx.newPage(); await p.setViewportSize({ width: 360, height: 600 });
      const t = await markOf(p, `chrome-extension://${id}/popup.html`, mark);
      if (r < 2) { await p.close(); if (w === 'stopped') await control.start(); continue; }
      add(`${w} painted`, t);
      const info = await p.evaluate(() => ({
        marks: performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as const),
        res: performance.getEntriesByType('resource').map((e) => [(e.name.split('/').pop() ?? '').replace(/-[\w-]{8}\./, '.'), e.startTime, (e as PerformanceResourceTiming).responseEnd] as const),
        nav: (() => { const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming; return { resp: n.responseEnd, dcl: n.domContentLoadedEventStart, dom: n.domInteractive }; })(),
      }));
      for (const [n, s] of info.marks) add(`${w} mark ${n}`, s);
      for (const [n, s, e] of info.res) { add(`${w} res ${n} start`, s); add(`${w} res ${n} end`, e); }
      add(`${w} nav responseEnd`, info.nav.resp); add(`${w} nav domInteractive`, info.nav.dom); add(`${w} nav dcl`, info.nav.dcl);
      await p.close();
      if (w === 'stopped') await control.start();
    }
  }
  for (const [k, v] of Object.entries(rows).sort((a, b) => median(a[1]) - median(b[1]))) console.log(k.padEnd(48), median(v).toFixed(0));
});
