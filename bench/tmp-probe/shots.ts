import { launch } from '../../test/e2e/harness';
import { linkAccount } from '../../test/e2e/flows';
import { startSite } from '../../test/e2e/sites';
const site = await startSite('127.0.0.2');
const b = await launch();
const p = await b.ctx.newPage();
await p.goto(`${site.origin}/login?user=bob`);
const o = await b.page('options.html#accounts');
await linkAccount(o, 'Any site', site.origin, `${site.origin}/logout`);
for (const scheme of ['light', 'dark'] as const) {
  await o.emulateMedia({ colorScheme: scheme });
  await o.setViewportSize({ width: 1100, height: 760 });
  await o.goto(o.url().replace(/#.*$/, '') + '#watch');
  await o.getByLabel('Audit every').selectOption({ index: 0 }).catch(() => undefined);
  await o.waitForTimeout(500);
  await o.screenshot({ path: `/tmp/probes/watch-off-${scheme}.png` });
  await o.goto(o.url().replace(/#.*$/, '') + '#accounts');
  await o.waitForTimeout(300);
  await o.screenshot({ path: `/tmp/probes/accounts-${scheme}.png` });
}
await b.close(); await site.close();
