/**
 * Auto-lock: a one-shot alarm pushed forward on every use of Revoke, plus an
 * immediate lock when the system screen locks. Alarms survive the service
 * worker being stopped; setTimeout would not.
 */
import type { Settings } from '../lib/messages';

export const AUTOLOCK_ALARM = 'revoke/autolock';

export interface AlarmsPort {
  create(name: string, info: { when: number }): void | Promise<void>;
  clear(name: string): Promise<boolean> | Promise<void> | void;
}

export function createAutoLock(deps: { alarms: AlarmsPort; now: () => number; lockNow: () => Promise<void> }) {
  return {
    async touch(settings: Settings): Promise<void> {
      await deps.alarms.create(AUTOLOCK_ALARM, { when: deps.now() + settings.autoLockMinutes * 60_000 });
    },
    async stop(): Promise<void> {
      await deps.alarms.clear(AUTOLOCK_ALARM);
    },
    async onAlarm(name: string): Promise<void> {
      if (name === AUTOLOCK_ALARM) await deps.lockNow();
    },
    async onIdleState(state: string, settings: Settings): Promise<void> {
      if (state === 'locked' && settings.lockOnSystemLock) await deps.lockNow();
    },
  };
}
