import { describe, expect, it } from 'vitest';
import { compressIpv6, displayIp } from '../../src/lib/ipv6';

describe('compressIpv6 (RFC 5952)', () => {
  it.each([
    // better-auth's /64-masked full form
    ['2001:0db8:0000:0000:0000:0000:0000:0000', '2001:db8::'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0005', '2001:db8::5'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group stays
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // the longest run wins
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::1', '::1'],
    ['fe80::0001%eth0', 'fe80::1%eth0'],
    ['0:0:0:0:0:ffff:c000:0201', '::ffff:192.0.2.1'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['2001:db8::192.0.2.1', '2001:db8::c000:201'],
  ])('%s -> %s', (input, expected) => {
    expect(compressIpv6(input)).toBe(expected);
  });

  it.each(['192.0.2.1', 'localhost', '', '1:2:3', '1::2::3', '12345::1', '1:2:3:4:5:6:7:8:9', 'g::1', '::ffff:300.1.1.1'])(
    'leaves %j unchanged (not an IPv6 address)',
    (input) => {
      expect(compressIpv6(input)).toBe(input);
    },
  );
});

describe('displayIp', () => {
  // A user trial read better-auth's /64-masked "2001:db8::" as a full address, someone else's.
  it.each([
    ['2001:0db8:0000:0000:0000:0000:0000:0000', '2001:db8::/64'],
    ['2a00:1450:4001:080b:0000:0000:0000:0000', '2a00:1450:4001:80b::/64'],
    ['2001:db8::5', '2001:db8::5'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::%eth0', 'fe80::%eth0'],
    ['192.0.2.1', '192.0.2.1'],
    ['2001:db8::/48', '2001:db8::/48'],
  ])('%s -> %s', (input, expected) => {
    expect(displayIp(input)).toBe(expected);
  });
});
