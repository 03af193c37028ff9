import { describe, expect, it } from 'vitest';
import { clientKey } from './ip-rate-limit.js';

describe('clientKey', () => {
  it.each([
    ['an IPv4 address', '203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped IPv6 address', '::ffff:203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped IPv6 address in capitals', '::FFFF:203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped IPv6 address written in hex', '::ffff:cb00:7107', '203.0.113.7'],
  ])('keys %s by the IPv4 address', (_case, ip, key) => {
    expect(clientKey(ip)).toBe(key);
  });

  it.each([
    ['a full IPv6 address', '2001:db8:1234:5678:9abc:def0:1234:5678', '2001:db8:1234:5678::/64'],
    ['another host in the same /64', '2001:db8:1234:5678::1', '2001:db8:1234:5678::/64'],
    [
      'the same /64 written with leading zeros and capitals',
      '2001:0DB8:1234:5678:FFFF:FFFF:FFFF:FFFF',
      '2001:db8:1234:5678::/64',
    ],
    ['the loopback address', '::1', '::/64'],
  ])('keys %s by its /64', (_case, ip, key) => {
    expect(clientKey(ip)).toBe(key);
  });

  it('gives every address of one /64 the same key, so rotating through them buys no fresh bucket', () => {
    const keys = new Set(
      Array.from({ length: 50 }, (_, index) => clientKey(`2001:db8:aa:bb:${index.toString(16)}:1:2:3`)),
    );
    expect(keys).toEqual(new Set(['2001:db8:aa:bb::/64']));
  });

  it('gives neighbouring /64s different keys', () => {
    expect(clientKey('2001:db8:aa:bb::1')).not.toBe(clientKey('2001:db8:aa:bc::1'));
    expect(clientKey('2001:db8:aa:bc::1')).toBe('2001:db8:aa:bc::/64');
  });

  it('keeps IPv4 clients apart from one another', () => {
    expect(clientKey('203.0.113.7')).not.toBe(clientKey('203.0.113.8'));
    expect(clientKey('::ffff:203.0.113.7')).not.toBe(clientKey('::ffff:203.0.113.8'));
  });

  it('passes a value that is not an address through unchanged', () => {
    expect(clientKey('unknown')).toBe('unknown');
    expect(clientKey('')).toBe('');
  });
});
