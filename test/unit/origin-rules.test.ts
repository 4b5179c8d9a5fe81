import { describe, expect, it } from 'vitest';
import { originRuleFor, ruleIdFor } from '../../src/background/origin-rules';

describe('Firefox origin rule', () => {
  it('sets the site’s origin on background requests that change state, for that host only', () => {
    const rule = originRuleFor('https://auth.example.com:8443');
    expect(rule.action.requestHeaders).toEqual([{ header: 'origin', operation: 'set', value: 'https://auth.example.com:8443' }]);
    expect(rule.condition).toEqual({
      requestDomains: ['auth.example.com'], tabIds: [-1], resourceTypes: ['xmlhttprequest'],
      requestMethods: ['post', 'put', 'patch', 'delete'],
    });
  });
  it('gives each host one stable positive rule id', () => {
    expect(ruleIdFor('a.example')).toBe(ruleIdFor('a.example'));
    expect(ruleIdFor('a.example')).not.toBe(ruleIdFor('b.example'));
    for (const h of ['x', 'localhost', '127.0.0.1', 'very.long.host.name.example.org']) {
      expect(Number.isSafeInteger(ruleIdFor(h)) && ruleIdFor(h) > 0).toBe(true);
    }
  });
});
