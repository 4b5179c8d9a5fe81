import { writeFileSync } from 'node:fs';
import { markOf, seedCodes, seedSessions, withBlankPage } from '../paint';
import { withExtension } from '../util';
const TAB = process.env.TAB ?? 'codes';
const dir = withBlankPage(process.argv[2] ?? 'dist');
await withExtension(dir, async (ctx, id) => {
  const page = await ctx.newPage();
  await page.goto(`chrome-extension://${id}/options.html`);
  if (TAB === 'codes') await seedCodes(page); else { await page.evaluate(() => chrome.runtime.sendMessage({ type: 'sessions/overview', body: null })); await seedSessions(page); }
  const mark = TAB === 'codes' ? 'revoke:codes-painted' : 'revoke:sessions-painted';
  for (let i = 0; i < 3; i++) { const p = await ctx.newPage(); await markOf(p, `chrome-extension://${id}/popup.html`, mark); await p.close(); }
  const p = await ctx.newPage();
  await p.setViewportSize({ width: 360, height: 600 });
  const cdp = await ctx.newCDPSession(p);
  const events: any[] = [];
  cdp.on('Tracing.dataCollected', (e: any) => events.push(...e.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'v8', 'v8.execute', 'blink', 'loading', 'disabled-by-default-devtools.timeline', 'disabled-by-default-v8.compile', 'blink.user_timing', 'toplevel'] }, transferMode: 'ReportEvents' });
  const t = await markOf(p, `chrome-extension://${id}/popup.html`, mark);
  await new Promise((r) => setTimeout(r, 300));
  await cdp.send('Tracing.end');
  await done;
  writeFileSync(`/tmp/probes/trace-${TAB}.json`, JSON.stringify({ traceEvents: events }));
  console.log('painted', t, 'events', events.length);
});
