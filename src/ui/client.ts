/** The pages' one way to talk to the background: typed requests, typed errors. */
import browser from '../lib/browser';
import { AppError, type Api, type MessageType, type Reply } from '../lib/messages';
import { visibleText } from './untrusted-text';
import { isCutConnection } from './cut-connection';

export async function call<K extends MessageType>(type: K, body: Api[K]['req']): Promise<Api[K]['res']> {
  const reply = (await browser.runtime.sendMessage({ type, body }).catch(cutAsRestarted)) as Reply<K> | undefined;
  if (!reply) throw new AppError('internal', 'Revoke’s background did not answer. Try again.');
  if (!reply.ok) throw new AppError(reply.error.code, reply.error.message);
  return reply.value;
}

/** A message for people from anything thrown. */
/** Error messages can quote a site's answer or an imported file: hidden characters are shown escaped. */
export function errorText(e: unknown): string {
  return visibleText(e instanceof Error ? e.message : String(e));
}

/** A call cut by the background stopping becomes the typed 'restarted' error; anything else is passed on. */
function cutAsRestarted(e: unknown): never {
  if (isCutConnection(e)) throw new AppError('restarted', 'Revoke’s background restarted before it answered.');
  throw e;
}
