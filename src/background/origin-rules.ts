/**
 * Firefox does not honour an `origin` header set in fetch()'s init (Chromium
 * does), so its extension POSTs reach a site with the extension's own Origin
 * and fail origin checks (better-auth's INVALID_ORIGIN, Rails, Django). A
 * declarativeNetRequest session rule sets the site's origin on Revoke's own
 * background requests to that origin instead.
 *
 * One rule per linked origin, matching that origin only (scheme, host and port:
 * `requestDomains` would take every subdomain too and cannot tell ports apart).
 * The origin a rule sets is the rule's own record of what it is for, so the
 * installed rules are always read back from the browser, never remembered
 * apart from it. Session rules live until the browser closes; `sync` rebuilds
 * them from the linked accounts when the worker starts.
 */
import { serialQueue } from '../lib/serial-queue';

type SessionRule = ReturnType<typeof originRuleFor>;

/** What this module needs of `declarativeNetRequest` (passed in, so it runs under vitest). */
export interface SessionRulesApi {
  getSessionRules(): Promise<{ id: number; action: { requestHeaders?: { header: string; value?: string }[] } }[]>;
  updateSessionRules(options: { removeRuleIds?: number[]; addRules?: SessionRule[] }): Promise<void>;
}

export interface OriginRules {
  /** Installs the origin's rule unless it is there. */
  ensure(origin: string): Promise<void>;
  /** Removes the origin's rule (its last account was unlinked). */
  remove(origin: string): Promise<void>;
  /** Leaves exactly one rule for each of these origins, and no other rule of Revoke's. */
  sync(origins: readonly string[]): Promise<void>;
}

const MAX_RULE_ID = 0x7fffffff;

/** A stable positive rule id for an origin; `ruleIdFor(origin, n)` is the n-th choice when ids collide. */
export function ruleIdFor(origin: string, attempt = 0): number {
  let h = 2166136261;
  for (let i = 0; i < origin.length; i++) h = Math.imul(h ^ origin.charCodeAt(i), 16777619);
  return (((h >>> 1) + attempt) % MAX_RULE_ID) || 1;
}

export function originRuleFor(origin: string, id: number) {
  return {
    id,
    priority: 1,
    action: {
      type: 'modifyHeaders' as const,
      requestHeaders: [{ header: 'origin', operation: 'set' as const, value: origin }],
    },
    condition: {
      // "|" anchors at the start; the "/" after the origin stops "https://a.example" from
      // matching "https://a.example.evil" or "https://a.example:8443".
      urlFilter: `|${origin}/`,
      // tabId -1: requests that come from no tab, i.e. the background page; pages are untouched.
      tabIds: [-1],
      resourceTypes: ['xmlhttprequest' as const],
      requestMethods: ['post' as const, 'put' as const, 'patch' as const, 'delete' as const],
    },
  };
}

function originOf(rule: Awaited<ReturnType<SessionRulesApi['getSessionRules']>>[number]): string | undefined {
  return rule.action.requestHeaders?.find((h) => h.header === 'origin')?.value;
}

export function createOriginRules(dnr: SessionRulesApi): OriginRules {
  /** origin -> rule id, read from the browser once, then kept in step with every change. */
  let installed: Promise<Map<string, number>> | null = null;
  // One change at a time: twenty parallel sign-outs must not add the same rule twenty times.
  const queue = serialQueue();
  const serial = <T>(task: (rules: Map<string, number>) => Promise<T>): Promise<T> =>
    queue(async () => task(await (installed ??= readInstalled())));

  async function readInstalled(): Promise<Map<string, number>> {
    const rules = new Map<string, number>();
    for (const rule of await dnr.getSessionRules()) {
      const origin = originOf(rule);
      if (origin) rules.set(origin, rule.id);
    }
    return rules;
  }

  async function apply(rules: Map<string, number>, add: string[], remove: string[]): Promise<void> {
    const removeRuleIds = remove.map((o) => rules.get(o)).filter((id): id is number => id !== undefined);
    const used = new Set([...rules.values()].filter((id) => !removeRuleIds.includes(id)));
    const addRules = add.map((origin) => {
      let attempt = 0;
      while (used.has(ruleIdFor(origin, attempt))) attempt++;
      const id = ruleIdFor(origin, attempt);
      used.add(id);
      return originRuleFor(origin, id);
    });
    if (removeRuleIds.length === 0 && addRules.length === 0) return;
    try {
      await dnr.updateSessionRules({ removeRuleIds, addRules });
    } catch (e) {
      installed = null; // read back from the browser next time: it knows what it holds
      throw e;
    }
    for (const origin of remove) rules.delete(origin);
    addRules.forEach((rule, i) => rules.set(add[i]!, rule.id));
  }

  return {
    ensure: (origin) => serial((rules) => (rules.has(origin) ? Promise.resolve() : apply(rules, [origin], []))),
    remove: (origin) => serial((rules) => apply(rules, [], [origin])),
    sync: (origins) =>
      serial((rules) => {
        const wanted = new Set(origins);
        return apply(rules, [...wanted].filter((o) => !rules.has(o)), [...rules.keys()].filter((o) => !wanted.has(o)));
      }),
  };
}
