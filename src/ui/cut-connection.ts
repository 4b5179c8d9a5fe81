/**
 * Recognises a runtime.sendMessage that failed because the background went away (a Manifest V3
 * worker stopped or restarted mid-call, or was not running and could not be reached), as opposed
 * to an answer. The browsers say so only in words, so the words are matched:
 *   Chromium  "A listener indicated an asynchronous response by returning true, but the message
 *             channel closed before a response was received", "The message port closed before a
 *             response was received.", "Could not establish connection. Receiving end does not exist."
 *   Firefox   "Could not establish connection. Receiving end does not exist.", "Message manager
 *             disconnected", "Actor 'Conduits' destroyed before query 'RuntimeMessage' was able to
 *             receive a reply", "Promised response from onMessage listener went out of scope".
 */
const CUT = [
  /message channel closed before a response was received/i,
  /message port closed before a response was received/i,
  /could not establish connection\. receiving end does not exist/i,
  /message manager disconnected/i,
  /destroyed before query .* was able to receive a reply/i,
  /promised response from onmessage listener went out of scope/i,
];

export function isCutConnection(e: unknown): boolean {
  const text = e instanceof Error ? e.message : typeof e === 'string' ? e : (e as { message?: unknown } | null)?.message;
  return typeof text === 'string' && CUT.some((re) => re.test(text));
}
