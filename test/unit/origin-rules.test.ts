import { describe, expect, it } from 'vitest';
import { createOriginRules, originRuleFor, ruleIdFor, type SessionRulesApi } from '../../src/background/origin-rules';

/** Firefox's session rules as the browser keeps them: an id may be added only once. */
function fakeDnr(initial: ReturnType<typeof originRuleFor>[] = []) {
  const rules = new Map(initial.map((r) => [r.id, r]));
  let updates = 0;
  const api: SessionRulesApi = {
    getSessionRules: async () => [...rules.values()],
    async updateSessionRules({ removeRuleIds = [], addRules = [] }) {
      await new Promise((r) => setTimeout(r, 1)); // an await inside, as the browser's is
      for (const id of removeRuleIds) rules.delete(id);
      for (const rule of addRules) {
        if (rules.has(rule.id)) throw new Error(`Duplicate rule id ${rule.id}`);
        rules.set(rule.id, rule);
      }
      updates++;
    },
  };
  const origins = () => [...rules.values()].map((r) => r.action.requestHeaders[0]!.value).sort();
  return { api, rules, origins, updates: () => updates };
}

/** Which requests a rule's urlFilter takes ("|" anchors the start; no wildcards are used). */
const matches = (rule: ReturnType<typeof originRuleFor>, url: string) =>
  url.toLowerCase().startsWith(rule.condition.urlFilter.replace(/^\|/, '').toLowerCase());

describe('Firefox origin rules', () => {
  it('sets the site’s origin on background requests that change state, to that origin only', () => {
    const rule = originRuleFor('https://auth.example.com:8443', 7);
    expect(rule.action.requestHeaders).toEqual([{ header: 'origin', operation: 'set', value: 'https://auth.example.com:8443' }]);
    expect(rule.condition).toMatchObject({ tabIds: [-1], resourceTypes: ['xmlhttprequest'], requestMethods: ['post', 'put', 'patch', 'delete'] });
    expect(rule.condition).not.toHaveProperty('requestDomains'); // it would take subdomains too
    expect(matches(rule, 'https://auth.example.com:8443/api/auth/revoke-session')).toBe(true);
    for (const other of [
      'https://auth.example.com/api', // another port
      'http://auth.example.com:8443/api', // another scheme
      'https://sub.auth.example.com:8443/api', // a subdomain
      'https://auth.example.com:84430/api',
      'https://auth.example.com.evil:8443/api',
    ]) expect(matches(rule, other), other).toBe(false);
  });

  it('gives two accounts on one host with different ports a rule each', async () => {
    const dnr = fakeDnr();
    const rules = createOriginRules(dnr.api);
    await Promise.all([rules.ensure('http://127.0.0.1:8788'), rules.ensure('http://127.0.0.1:9999')]);
    expect(dnr.origins()).toEqual(['http://127.0.0.1:8788', 'http://127.0.0.1:9999']);
  });

  it('adds a rule once, however many requests ask for it at the same time', async () => {
    const dnr = fakeDnr();
    const rules = createOriginRules(dnr.api);
    await Promise.all(Array.from({ length: 20 }, () => rules.ensure('https://a.example')));
    expect(dnr.origins()).toEqual(['https://a.example']);
    expect(dnr.updates()).toBe(1);
  });

  it('removes the rule of an unlinked origin and leaves the others', async () => {
    const dnr = fakeDnr();
    const rules = createOriginRules(dnr.api);
    await rules.ensure('https://a.example');
    await rules.ensure('https://b.example');
    await rules.remove('https://a.example');
    expect(dnr.origins()).toEqual(['https://b.example']);
    await rules.remove('https://never-linked.example');
    expect(dnr.origins()).toEqual(['https://b.example']);
  });

  it('rebuilds from the linked accounts when the worker starts: stale rules go, missing ones come', async () => {
    const dnr = fakeDnr([originRuleFor('https://unlinked.example', ruleIdFor('https://unlinked.example')), originRuleFor('https://kept.example', 5)]);
    const rules = createOriginRules(dnr.api);
    await rules.sync(['https://kept.example', 'https://new.example']);
    expect(dnr.origins()).toEqual(['https://kept.example', 'https://new.example']);
    expect(dnr.rules.get(5)?.action.requestHeaders[0]!.value).toBe('https://kept.example');
    await rules.ensure('https://kept.example'); // known from the browser: nothing added again
    expect(dnr.updates()).toBe(1);
  });

  it('finds another id when two origins hash to the same one', async () => {
    const taken = ruleIdFor('https://b.example');
    const dnr = fakeDnr([originRuleFor('https://a.example', taken)]);
    const rules = createOriginRules(dnr.api);
    await rules.ensure('https://b.example');
    expect(dnr.origins()).toEqual(['https://a.example', 'https://b.example']);
    expect(dnr.rules.get(taken)?.action.requestHeaders[0]!.value).toBe('https://a.example');
  });

  it('reads the rules back from the browser after a failed update', async () => {
    const dnr = fakeDnr();
    const rules = createOriginRules(dnr.api);
    const update = dnr.api.updateSessionRules;
    dnr.api.updateSessionRules = async () => {
      throw new Error('quota');
    };
    await expect(rules.ensure('https://a.example')).rejects.toThrow('quota');
    dnr.api.updateSessionRules = update;
    await rules.ensure('https://a.example');
    expect(dnr.origins()).toEqual(['https://a.example']);
  });

  it('gives stable positive ids', () => {
    expect(ruleIdFor('https://a.example')).toBe(ruleIdFor('https://a.example'));
    expect(ruleIdFor('http://h:1')).not.toBe(ruleIdFor('http://h:2'));
    for (const o of ['x', 'http://localhost', 'http://[::1]:9000', 'https://very.long.host.name.example.org']) {
      for (const attempt of [0, 1, 2 ** 31]) expect(Number.isSafeInteger(ruleIdFor(o, attempt)) && ruleIdFor(o, attempt) > 0).toBe(true);
    }
  });
});
