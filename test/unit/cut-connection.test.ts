import { describe, expect, it } from 'vitest';
import { isCutConnection } from '../../src/ui/cut-connection';

describe('isCutConnection', () => {
  it('recognises what Chromium and Firefox say when the background goes away mid-call', () => {
    for (const message of [
      'A listener indicated an asynchronous response by returning true, but the message channel closed before a response was received',
      'The message port closed before a response was received.',
      'Could not establish connection. Receiving end does not exist.',
      'Message manager disconnected',
      "Actor 'Conduits' destroyed before query 'RuntimeMessage' was able to receive a reply",
      'Promised response from onMessage listener went out of scope',
    ]) {
      expect(isCutConnection(new Error(message)), message).toBe(true);
    }
    // Firefox rejects with plain objects at times.
    expect(isCutConnection({ message: 'Could not establish connection. Receiving end does not exist.' })).toBe(true);
  });

  it('leaves every other failure alone', () => {
    for (const e of [new Error('Failed to fetch'), new Error('Invalid message'), 'channel', null, undefined, 42, {}]) {
      expect(isCutConnection(e)).toBe(false);
    }
  });
});
