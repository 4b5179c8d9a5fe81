/**
 * What a page is shown of the vault (its state, and when unlocked the entries), read from where
 * the vault keeps it. The worker answers `vault/snapshot` with this; the popup runs the same read
 * itself at start (src/popup/local-snapshot.ts) so its first codes need no worker.
 */
import type { ClockSkew } from '../lib/clock-skew';
import type { Settings, Snapshot } from '../lib/messages';
import type { Vault } from '../vault/vault';
import type { SessionArea } from './clipboard';

const DAY = 86_400_000;

export async function readSnapshot(vault: Vault, settings: () => Promise<Settings>, clockSkew: () => Promise<ClockSkew | null>): Promise<Snapshot> {
  const [read, s, skew] = await Promise.all([vault.read(), settings(), clockSkew()]);
  if (read.state !== 'unlocked') return { state: read.state, settings: s };
  const { entries, corrupt } = read.list;
  return { state: 'unlocked', entries, corrupt, settings: s, ...(skew ? { clockSkew: skew } : {}) };
}

/** The last clock comparison with a server (noted in storage.session by the worker), if made in the last day. */
export async function storedClockSkew(session: SessionArea, now = Date.now()): Promise<ClockSkew | null> {
  const skew = (await session.get('clockSkew')).clockSkew as ClockSkew | undefined;
  return skew && now - skew.at < DAY ? skew : null;
}
