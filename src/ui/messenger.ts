/**
 * The pages' side of the protocol, over whatever `runtime` it is given (the browser's in
 * client.ts, a fake in tests): typed requests, typed errors, and the one place where a page
 * learns that the vault was locked, by the background's broadcast or, if the page missed that
 * (asleep, frozen), by the next reply it gets.
 */
import { AppError, isPageEvent, type Api, type MessageType, type Reply } from '../lib/messages';
import { isCutConnection } from './cut-connection';

export interface RuntimePort {
  sendMessage(message: unknown): Promise<unknown>;
  onMessage: { addListener(listener: (message: unknown) => undefined): void };
}

export function createMessenger(runtime: RuntimePort) {
  const lockListeners = new Set<() => void>();
  let locks = 0;
  const locked = () => {
    locks++;
    for (const listener of [...lockListeners]) listener();
  };

  // Returning undefined: a page never answers, so the broadcast's sender is not kept waiting.
  runtime.onMessage.addListener((message) => {
    if (isPageEvent(message) && message.event === 'vault/locked') locked();
    return undefined;
  });

  async function call<K extends MessageType>(type: K, body: Api[K]['req']): Promise<Api[K]['res']> {
    const locksBefore = locks;
    const reply = (await runtime.sendMessage({ type, body }).catch(cutAsRestarted)) as Reply<K> | undefined;
    if (!reply) throw new AppError('internal', 'The background did not answer.', { key: 'client_noAnswer' });
    if (!reply.ok) {
      if (reply.error.code === 'locked') locked();
      throw new AppError(reply.error.code, reply.error.message, reply.error.said);
    }
    if (reply.locked) locked();
    // The broadcast and this reply travel separately: a reply that does not say "locked" but
    // arrives after a lock was heard was made before the lock, and may carry decrypted entries.
    else if (locks !== locksBefore) throw new AppError('locked', 'Locked while loading.', { key: 'client_lockedWhileLoading' });
    return reply.value;
  }

  /** Runs `listener` whenever the vault is found locked; returns the unsubscribe function. */
  function onLocked(listener: () => void): () => void {
    lockListeners.add(listener);
    return () => void lockListeners.delete(listener);
  }

  // foundLocked: the page found the vault locked by its own read (the key gone from storage.session), as if it heard the broadcast.
  return { call, onLocked, foundLocked: locked };
}

/** A call cut by the background stopping becomes the typed 'restarted' error; anything else is passed on. */
function cutAsRestarted(e: unknown): never {
  if (isCutConnection(e)) throw new AppError('restarted', 'The background restarted before it answered.', { key: 'client_restarted' });
  throw e;
}
