// @vitest-environment happy-dom
/** The audit log's entry card: a panic filtered by account shows that account's line alone. */
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditEntryCard } from '../../src/options/AuditEntryCard';
import { filterAudit } from '../../src/sessions/audit-log';
import type { AuditRecord } from '../../src/sessions/types';

const panic: AuditRecord = {
  id: 'p1', at: Date.UTC(2026, 5, 1), accountId: '', accountLabel: '', connectorId: '', origin: '', action: 'panic',
  outcome: { status: 'confirmed', seen: 'Panic: 2 sites signed out.' }, reason: { kind: 'shared-computer' },
  panic: [
    { site: 'a.test', kept: false, cookies: 1, accounts: [{ accountId: 'acc-a', name: 'ann on a.test', endsOthers: true, server: { status: 'confirmed', seen: 'Gone.' }, local: 'skipped' }], cleared: { status: 'confirmed', seen: 'Cleared a.' } },
    { site: 'b.test', kept: false, cookies: 1, accounts: [{ accountId: 'acc-b', name: 'bob on b.test', endsOthers: true, server: { status: 'confirmed', seen: 'Gone.' }, local: 'skipped' }], cleared: { status: 'confirmed', seen: 'Cleared b.' } },
  ],
};

const sitesShown = () => [...document.querySelectorAll('[data-panic-site]')].map((e) => e.getAttribute('data-panic-site'));

afterEach(() => render(null, document.body));

describe('AuditEntryCard', () => {
  it('shows every line of a panic, and filtered by account only that account\'s', () => {
    render(<AuditEntryCard entry={filterAudit([panic], {})[0]!} />, document.body);
    expect(sitesShown()).toEqual(['a.test', 'b.test']);
    render(<AuditEntryCard entry={filterAudit([panic], { accountId: 'acc-b' })[0]!} />, document.body);
    expect(sitesShown()).toEqual(['b.test']);
    expect(document.body.textContent).toContain('bob on b.test');
    expect(document.body.textContent).not.toContain('ann on a.test');
  });
});
