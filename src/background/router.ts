/**
 * Maps each protocol message to the code that answers it. Browser APIs come in
 * through `deps`, so the whole table runs in unit tests.
 */
import { AppError, type Api, type ErrorBody, type ErrorCode, type MessageType, type Reply, type Request, type Settings, type Snapshot } from '../lib/messages';
import { parseOtpUri, validateEntryInput } from '../vault/otp-uri';
import type { EntryInput } from '../vault/types';
import type { Vault } from '../vault/vault';
import type { SettingsStore } from './settings';
import type { ClockSkew } from '../lib/clock-skew';
import type { Said } from '../i18n/t';
import { readSnapshot } from './snapshot';

export interface RouterDeps {
  vault: Vault;
  settings: SettingsStore;
  /** Called on every message: the auto-lock timer counts from the last use. */
  onActivity(settings: Settings): Promise<void>;
  onUnlocked(settings: Settings): Promise<void>;
  /** Locks the vault and tells every open page (see lock.ts); the lock button's path. */
  lock(): Promise<void>;
  scheduleClipboardClear(text: string, seconds: number): Promise<void>;
  /** The last clock comparison with a server, if one was made. */
  clockSkew(): Promise<ClockSkew | null>;
  /** After settings were saved, before the answer (a shorter audit retention prunes at once, so the page reads the log as kept). */
  onSettingsSaved?(settings: Settings): Promise<void>;
}

export type Handlers = { [K in MessageType]: (body: Api[K]['req']) => Promise<Api[K]['res']> };

function parsedOrThrow(result: ReturnType<typeof parseOtpUri>): { entry: EntryInput; warnings: string[] } {
  if (!result.ok) throw new AppError('invalid-input', result.error);
  return result;
}

export type VaultHandlers = Pick<Handlers, VaultMessage>;
type VaultMessage = Exclude<MessageType, SessionMessage | WatchMessage | PanicMessage>;
type WatchMessage = 'watch/known' | 'watch/state' | 'watch/schedule' | 'watch/rules' | 'watch/run';
export type WatchHandlers = Pick<Handlers, WatchMessage>;
type SessionMessage = 'accounts/connectors' | 'accounts/link' | 'accounts/sign-in' | 'accounts/unlink' | 'accounts/detect' | 'sessions/overview' | 'sessions/refresh' | 'sessions/seen' | 'sessions/revoke' | 'sessions/sign-out-everywhere' | 'sessions/jobs' | 'audit/list';
export type SessionHandlers = Pick<Handlers, SessionMessage>;
type PanicMessage = 'panic/state' | 'panic/update' | 'panic/run';
export type PanicHandlers = Pick<Handlers, PanicMessage>;

export function createVaultHandlers(deps: RouterDeps): VaultHandlers {
  const { vault, settings } = deps;

  const snapshot = (): Promise<Snapshot> => readSnapshot(vault, () => settings.get(), deps.clockSkew);

  return {
    'vault/snapshot': () => snapshot(),
    // The popup read the vault itself; this only counts as use for the auto-lock (see dispatch).
    'vault/opened': async () => null,
    'vault/setup': async ({ password }) => {
      await vault.setup(password);
      await deps.onUnlocked(await settings.get());
      return snapshot();
    },
    'vault/unlock': async ({ password }) => {
      await vault.unlock(password);
      await deps.onUnlocked(await settings.get());
      return snapshot();
    },
    'vault/lock': async () => {
      await deps.lock();
      return null;
    },
    'vault/change-password': ({ oldPassword, newPassword, newDataKey }) =>
      vault.changePassword(oldPassword, newPassword, { newDataKey: newDataKey === true }),
    'entries/add-uri': async ({ uri }) => {
      const { entry, warnings } = parsedOrThrow(parseOtpUri(uri));
      return { entry: await vault.add(entry), warnings };
    },
    'entries/add-form': async ({ form }) => {
      const { entry, warnings } = parsedOrThrow(validateEntryInput(form));
      return { entry: await vault.add(entry), warnings };
    },
    'entries/update': async ({ id, form, pinned }) => {
      // The edit form sends a secret only if the person revealed it: none means "keep the stored one".
      const secret = form.secret ?? (await vault.get(id)).secret;
      const { entry } = parsedOrThrow(validateEntryInput({ ...form, secret }));
      return vault.update(id, pinned === undefined ? entry : { ...entry, pinned });
    },
    'entries/pin': ({ id, pinned }) => vault.update(id, { pinned }),
    'entries/remove': ({ id }) => vault.remove(id),
    'entries/restore': ({ entry }) => vault.restore(entry).then(() => null),
    'entries/remove-many': ({ ids }) => vault.removeMany(ids),
    'entries/restore-many': ({ entries }) => vault.restoreMany(entries).then(() => null),
    'entries/move': ({ id, toIndex }) => vault.move(id, toIndex).then(() => null),
    'entries/next-hotp': async ({ id }) => {
      const entry = await vault.get(id);
      if (entry.type !== 'hotp') throw new AppError('invalid-input', 'Only counter-based (HOTP) entries have a next code.', { key: 'entries_notHotp' });
      return vault.advanceCounter(id);
    },
    'clipboard/copied': async ({ text }) => {
      await deps.scheduleClipboardClear(text, (await settings.get()).clipboardClearSeconds);
      return null;
    },
    'entries/import': async ({ items }) => {
      // Every item is validated again here: the page's parse is not trusted with the vault.
      const inputs = items.map((item, i) => {
        const checked = validateEntryInput(item.input as unknown as Record<string, unknown>);
        if (!checked.ok) throw new AppError('invalid-input', `Entry ${i + 1}: ${checked.error}`, { key: 'words_entryNumbered', subs: [i + 1, checked.error] });
        return checked.entry;
      });
      // One write, pins included: a failure part-way must not leave the entries added but unpinned.
      const added = await vault.addMany(inputs, items.map((item) => item.pinned === true));
      return { added: added.length };
    },
    'settings/update': async (patch) => {
      const next = await settings.update(patch);
      await deps.onSettingsSaved?.(next);
      if ((await vault.status()) === 'unlocked') await deps.onActivity(next);
      return next;
    },
  };
}

const KNOWN_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'wrong-password', 'weak-password', 'locked', 'not-initialized', 'already-initialized', 'not-found',
  'corrupt', 'invalid-input', 'forbidden', 'internal', 'duplicate', 'unverified', 'conflict',
]);

/** Any thrown value as a protocol error: known codes pass through, the rest become 'internal'. */
export function toErrorBody(e: unknown): ErrorBody {
  const { code, said } = (e ?? {}) as { code?: unknown; said?: Said };
  const message = e instanceof Error ? e.message : String(e);
  if (typeof code === 'string' && KNOWN_CODES.has(code)) return said ? { code: code as ErrorCode, message, said } : { code: code as ErrorCode, message };
  return { code: 'internal', message: `Something went wrong inside Revoke: ${message}`, said: { key: 'internalError', subs: [message] } };
}

/** Messages that are not "use" of the vault: locking must not re-arm the auto-lock. */
const ACTIVITY_EXEMPT: ReadonlySet<MessageType> = new Set(['vault/lock']);

export async function dispatch(handlers: Handlers, deps: RouterDeps, req: Request): Promise<Reply> {
  try {
    const handler = handlers[req.type] as (body: unknown) => Promise<unknown>;
    const value = await handler(req.body);
    // The answer says whether the vault is locked now: see Reply.locked. A failed look is no news.
    const state = await deps.vault.status().catch(() => null);
    // Re-arming the auto-lock must not delay the answer (the popup waits on it to paint).
    if (state === 'unlocked' && !ACTIVITY_EXEMPT.has(req.type)) void touch(deps);
    return (state === 'locked' ? { ok: true, value, locked: true } : { ok: true, value }) as Reply;
  } catch (e) {
    return { ok: false, error: toErrorBody(e) };
  }
}

async function touch(deps: RouterDeps): Promise<void> {
  try {
    await deps.onActivity(await deps.settings.get());
  } catch {
    // Best effort: a missed re-arm means an earlier lock, never a later one.
  }
}
