/**
 * A small in-memory world for the session engine's tests: services with sessions,
 * this browser's cookie jar, and connectors that talk to them (with delays,
 * failures, hangs and lies on demand). Shared by sessions-engine and sessions-journal.
 */
import {
  ConnectorError, type Capabilities, type Connector, type ConnectorContext, type LocalState, type RevokeTarget, type SharedCookies,
} from '../../src/connectors/types';

// ---- A small in-memory world: services with sessions, and this browser's cookie jar ---------

export type Op = 'whoami' | 'list' | 'revoke';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Cookies per site (last two host labels), as browsers clear them: for the whole site, any port. */
export class FakeBrowser {
  readonly jars = new Map<string, Map<string, string>>();
  readonly clears: string[] = [];
  /** Origins whose clear leaves a cookie behind. */
  readonly stubborn = new Set<string>();
  /** Origins whose clear throws. */
  readonly broken = new Set<string>();
  /** What the clear of an origin reports as removed shared parent-domain cookies. */
  readonly shared = new Map<string, SharedCookies[]>();
  jar(origin: string) {
    const site = new URL(origin).hostname.split('.').slice(-2).join('.');
    let jar = this.jars.get(site);
    if (!jar) this.jars.set(site, (jar = new Map()));
    return jar;
  }
  readonly local: LocalState = {
    cookieNames: async (origin) => [...this.jar(origin).keys()],
    clear: async (origin) => {
      this.clears.push(origin);
      if (this.broken.has(origin)) throw new Error('browsingData refused');
      this.jar(origin).clear();
      if (this.stubborn.has(origin)) this.jar(origin).set('__Host-stubborn', '1');
      return { shared: this.shared.get(origin) ?? [] };
    },
  };
}

export class FakeService {
  readonly sessions = new Map<string, { id: string; device: string }>();
  readonly calls: Record<Op, number> = { whoami: 0, list: 0, revoke: 0 };
  readonly revokes: RevokeTarget[] = [];
  user = 'ada@example.com';
  delay = 0;
  /** revoke resolves, but nothing is removed. */
  lies = false;
  /** Calls of these kinds never settle. */
  readonly hangs = new Set<Op>();
  failNext: { op: Op; error: unknown } | null = null;
  /** Returned by whoami / listSessions instead of the truth (boxed, so undefined can be returned too). */
  whoamiAnswer?: { value: unknown };
  listAnswer?: { value: unknown };
  constructor(readonly origin: string, readonly browser: FakeBrowser, count = 3) {
    for (let i = 1; i <= count; i++) this.sessions.set(`s${i}`, { id: `s${i}`, device: `Device ${i}` });
    browser.jar(origin).set('sid', 's1');
  }
  currentId(): string | null {
    const sid = this.browser.jar(this.origin).get('sid');
    return sid !== undefined && this.sessions.has(sid) ? sid : null;
  }
  async run<T>(op: Op, body: () => T): Promise<T> {
    this.calls[op]++;
    if (this.hangs.has(op)) return new Promise<T>(() => {});
    if (this.delay) await sleep(this.delay);
    if (this.failNext?.op === op) {
      const { error } = this.failNext;
      this.failNext = null;
      throw error;
    }
    return body();
  }
}

export class World {
  readonly browser = new FakeBrowser();
  readonly services = new Map<string, FakeService>();
  readonly signals = new Map<string, AbortSignal>();
  service(origin: string, count?: number) {
    const s = new FakeService(origin, this.browser, count);
    this.services.set(origin, s);
    return s;
  }
  of(ctx: ConnectorContext): FakeService {
    const s = this.services.get(ctx.account.origin);
    if (!s) throw new Error(`no fake service at ${ctx.account.origin}`);
    return s;
  }
}

export const ALL: Capabilities = { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true };

export function fakeConnector(world: World, id: string, can: Partial<Capabilities> = {}, opts: { marksCurrent?: boolean } = {}): Connector {
  const signedOut = () => new ConnectorError('signed-out', 'Not signed in.');
  return {
    meta: {
      id, name: `Fake ${id}`, origins: [], can: { ...ALL, ...can },
      instanceUrl: { label: 'Address', placeholder: 'https://example.test', help: '' },
      manageUrl: (a) => `${a.instanceUrl}/sessions`,
    },
    whoami: (ctx) => {
      const svc = world.of(ctx);
      return svc.run('whoami', () => {
        if (svc.whoamiAnswer) return svc.whoamiAnswer.value as never;
        const cur = svc.currentId();
        if (!cur) return null;
        return opts.marksCurrent ? { account: svc.user } : { account: svc.user, sessionId: cur };
      });
    },
    listSessions: (ctx) => {
      const svc = world.of(ctx);
      return svc.run('list', () => {
        if (svc.listAnswer) return svc.listAnswer.value as never;
        const cur = svc.currentId();
        if (!cur) throw signedOut();
        return [...svc.sessions.values()].map((s) => ({
          id: s.id, current: opts.marksCurrent === true && s.id === cur, device: s.device, extra: { note: 'x' },
        }));
      });
    },
    revoke: (ctx, target) => {
      const svc = world.of(ctx);
      return svc.run('revoke', () => {
        svc.revokes.push(target);
        const cur = svc.currentId();
        if (!cur) throw signedOut();
        if (svc.lies) return;
        if (target === 'all') svc.sessions.clear();
        else if (target === 'others') [...svc.sessions.keys()].filter((k) => k !== cur).forEach((k) => svc.sessions.delete(k));
        else svc.sessions.delete(target.id);
      });
    },
  };
}
