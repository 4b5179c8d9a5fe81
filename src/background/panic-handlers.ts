/**
 * Protocol handlers for panic: its state (settings, the permission, the sites this browser holds
 * cookies for), turning it on and off, editing the keep-list, and running it. The permission itself
 * is asked for by the options page, in the click that turns panic on (a prompt needs the person's
 * gesture, which a message to the background loses); the background only checks it is there.
 */
import { AppError, type PanicState } from '../lib/messages';
import { checkReason } from '../sessions/checks';
import type { SessionEngine } from '../sessions/engine';
import { sitesOf, type BrowserSites } from '../sessions/panic-plan';
import type { PanicSettingsStore } from './panic-settings';
import type { PanicHandlers } from './router';

export interface PanicDeps {
  engine: Pick<SessionEngine, 'panic'>;
  settings: PanicSettingsStore;
  sites: BrowserSites;
  /** Whether the browser grants the all-sites permission now. */
  hasPermission(): Promise<boolean>;
}

export function createPanicHandlers(deps: PanicDeps): PanicHandlers {
  async function state(): Promise<PanicState> {
    const [settings, permission] = await Promise.all([deps.settings.get(), deps.hasPermission()]);
    return { ...settings, permission, sites: permission ? sitesOf(await deps.sites.cookies()) : null };
  }

  /** Why panic cannot run now, if it cannot. */
  async function refusal(): Promise<AppError | null> {
    if (!(await deps.settings.get()).enabled) return new AppError('forbidden', 'Panic is off.', { key: 'panic_error_off' });
    if (!(await deps.hasPermission())) return new AppError('forbidden', 'Panic lacks the all-sites permission.', { key: 'panic_error_permission' });
    return null;
  }

  return {
    'panic/state': () => state(),
    async 'panic/update'(body) {
      const patch = typeof body === 'object' && body !== null ? body : {};
      // Turned on only with the permission granted: "on" must mean it can run.
      if (patch.enabled === true && !(await deps.hasPermission())) {
        throw new AppError('forbidden', 'Panic lacks the all-sites permission.', { key: 'panic_denied' });
      }
      await deps.settings.update({
        ...(typeof patch.enabled === 'boolean' ? { enabled: patch.enabled } : {}),
        ...(Array.isArray(patch.keep) ? { keep: patch.keep } : {}),
      });
      return state();
    },
    async 'panic/run'({ reason }) {
      const checked = checkReason(reason);
      const refused = await refusal();
      if (refused) throw refused;
      return deps.engine.panic({ keep: (await deps.settings.get()).keep, reason: checked, sites: deps.sites });
    },
  };
}
