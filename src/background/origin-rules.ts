/**
 * Firefox does not honour an `origin` header set in fetch()'s init (Chromium
 * does), so its extension POSTs reach a site with the extension's own Origin
 * and fail origin checks (better-auth's INVALID_ORIGIN, Rails, Django). A
 * declarativeNetRequest session rule sets the site's origin on Revoke's own
 * background requests to that host instead. Session rules live until the
 * browser closes; they are added again on demand.
 */
import type { Browser } from '../lib/browser';

/** A stable positive rule id per host. */
export function ruleIdFor(host: string): number {
  let h = 2166136261;
  for (let i = 0; i < host.length; i++) h = Math.imul(h ^ host.charCodeAt(i), 16777619);
  return (h >>> 1) || 1;
}

export function originRuleFor(origin: string) {
  const { hostname } = new URL(origin);
  return {
    id: ruleIdFor(hostname),
    priority: 1,
    action: {
      type: 'modifyHeaders' as const,
      requestHeaders: [{ header: 'origin', operation: 'set' as const, value: origin }],
    },
    condition: {
      requestDomains: [hostname],
      // tabId -1: requests that come from no tab, i.e. the background page; pages are untouched.
      tabIds: [-1],
      resourceTypes: ['xmlhttprequest' as const],
      requestMethods: ['post' as const, 'put' as const, 'patch' as const, 'delete' as const],
    },
  };
}

export function createOriginRules(browser: Browser) {
  const installed = new Map<number, string>();
  return async function ensure(origin: string): Promise<void> {
    const rule = originRuleFor(origin);
    if (installed.get(rule.id) === origin) return;
    await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: [rule.id], addRules: [rule] });
    installed.set(rule.id, origin);
  };
}
