/** axe-core on a page as it is, in both colour schemes: shared by the accessibility gate and section tests. */
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation { id: string; impact: string | null; nodes: string[] }

/** axe's violations on the page as it is, in both colour schemes. */
export async function violations(page: Page): Promise<Record<string, Violation[]>> {
  const out: Record<string, Violation[]> = {};
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
    out[scheme] = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[]; failureSummary?: string }[] }[] }> } }).axe;
      const result = await axe.run(document);
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`) }));
    });
  }
  return out;
}

