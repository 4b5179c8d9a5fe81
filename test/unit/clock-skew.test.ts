import { describe, expect, it } from 'vitest';
import { describeSkew, skewFromDate, skewWorthWarning } from '../../src/lib/clock-skew';

const at = Date.UTC(2026, 10, 26, 12, 0, 0);

describe('clock skew from a Date header', () => {
  it('measures a clock that is behind or ahead, with its uncertainty', () => {
    const behind = skewFromDate(new Date(at + 60_000).toUTCString(), at, at + 200, 'example.com')!;
    expect(behind.ms).toBeGreaterThan(59_000);
    expect(behind.ms).toBeLessThan(61_000);
    expect(behind.uncertaintyMs).toBe(600);
    expect(skewWorthWarning(behind)).toBe(true);
    expect(describeSkew(behind)).toMatch(/about 60 seconds behind \(compared with example.com\)/);
    const ahead = skewFromDate(new Date(at - 5 * 60_000).toUTCString(), at, at + 100, 'x.test')!;
    expect(describeSkew(ahead)).toMatch(/5 minutes ahead/);
  });
  it('does not warn within measurement error or a few seconds', () => {
    expect(skewWorthWarning(skewFromDate(new Date(at).toUTCString(), at, at + 50, 'h'))).toBe(false);
    expect(skewWorthWarning(skewFromDate(new Date(at + 10_000).toUTCString(), at, at + 50, 'h'))).toBe(false);
    // A slow round trip widens the error bar: 16 s off but measured over 4 s is not certain enough.
    expect(skewWorthWarning(skewFromDate(new Date(at + 18_000).toUTCString(), at, at + 6_000, 'h'))).toBe(false);
  });
  it('ignores missing or garbage headers', () => {
    expect(skewFromDate(null, at, at, 'h')).toBeNull();
    expect(skewFromDate('yesterday-ish', at, at, 'h')).toBeNull();
    expect(skewWorthWarning(undefined)).toBe(false);
  });
});
