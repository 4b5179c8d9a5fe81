import { describe, expect, it } from 'vitest';
import { outcomeHead } from '../../src/ui/outcome-text';

const session = { what: 'the session on Safari on iOS', where: 'app.example.com' };

describe('outcomeHead', () => {
  it('says what was ended and where', () => {
    expect(outcomeHead('confirmed', session)).toBe('Ended the session on Safari on iOS at app.example.com.');
    expect(outcomeHead('working', session)).toBe('Ending the session on Safari on iOS at app.example.com…');
  });

  it('never words an unconfirmed or failed attempt as done', () => {
    expect(outcomeHead('not-confirmed', session)).toBe('Revoke could not confirm that the session on Safari on iOS at app.example.com ended.');
    expect(outcomeHead('failed', session)).toBe('Could not end the session on Safari on iOS at app.example.com.');
  });

  it('clears this browser’s login rather than ending it, and leaves out an unknown place', () => {
    const local = { what: 'this browser’s login (its cookies and site data)', verb: 'clear' as const };
    expect(outcomeHead('confirmed', local)).toBe('Cleared this browser’s login (its cookies and site data).');
    expect(outcomeHead('not-confirmed', local)).toBe('Revoke could not confirm that this browser’s login (its cookies and site data) was cleared.');
    expect(outcomeHead('failed', local)).toBe('Could not clear this browser’s login (its cookies and site data).');
  });
});
