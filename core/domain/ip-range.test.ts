import { describe, expect, it } from 'vitest';
import { addressBits, parseCidr, rangeContains } from './ip-range.ts';

describe('IP ranges', () => {
  it('normalises IPv4 and IPv6 CIDRs and single addresses', () => {
    expect(parseCidr('10.1.2.3/8')?.cidr).toBe('10.0.0.0/8');
    expect(parseCidr('203.0.113.7')?.cidr).toBe('203.0.113.7/32');
    expect(parseCidr('2001:DB8:0:0::1/32')?.cidr).toBe('2001:db8::/32');
    expect(parseCidr('::1')?.cidr).toBe('::1/128');
    expect(parseCidr('::ffff:192.0.2.0/120')?.cidr).toBe('192.0.2.0/24');
    for (const bad of ['', 'nope', '10.0.0.0/33', '10.0.0/8', '2001:db8::/129', '1.2.3.4/-1', '1.2.3.4/']) expect(parseCidr(bad), bad).toBeNull();
  });

  it('says which addresses a range contains, IPv4-mapped IPv6 counting as IPv4', () => {
    const v4 = parseCidr('198.51.100.0/24')!;
    expect(rangeContains(v4, addressBits('198.51.100.200'))).toBe(true);
    expect(rangeContains(v4, addressBits('::ffff:198.51.100.9'))).toBe(true);
    expect(rangeContains(v4, addressBits('198.51.101.1'))).toBe(false);
    const v6 = parseCidr('2001:db8:abcd::/48')!;
    expect(rangeContains(v6, addressBits('2001:db8:abcd:12::1'))).toBe(true);
    expect(rangeContains(v6, addressBits('2001:db8:abce::1'))).toBe(false);
    expect(rangeContains(v6, addressBits('198.51.100.1'))).toBe(false);
    expect(addressBits('unknown')).toBeNull();
    expect(rangeContains(parseCidr('0.0.0.0/0')!, addressBits('8.8.8.8'))).toBe(true);
  });
});
