import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress, clientIp, viewerIp, type AddressEvidence } from './client-ip.ts';

const evidence = (forwardedFor: string | undefined, viewerAddress?: string): AddressEvidence => ({ forwardedFor, viewerAddress });

describe('client IP', () => {
  it('takes the address our outermost trusted proxy saw, ignoring what the client forged', () => {
    expect(clientIp('6.6.6.6, 1.2.3.4', 0)).toBe('1.2.3.4');
    expect(clientIp('6.6.6.6, 1.2.3.4, 10.0.0.1', 1)).toBe('1.2.3.4');
    expect(clientIp(undefined, 0)).toBe('unknown');
  });

  it('reads CloudFront-Viewer-Address: IPv4 with port, unbracketed and bracketed IPv6, and nothing else', () => {
    expect(viewerIp('198.51.100.10:46532')).toBe('198.51.100.10');
    expect(viewerIp('2001:db8::1:46532')).toBe('2001:db8::1');
    expect(viewerIp('[2001:db8::1]:46532')).toBe('2001:db8::1');
    expect(viewerIp('2001:db8::1')).toBe('2001:db8::1');
    expect(viewerIp('203.0.113.5')).toBe('203.0.113.5');
    expect(viewerIp('1.2.3.4:1, 198.51.100.10:46532')).toBe('198.51.100.10');
    for (const bad of [undefined, '', 'localhost:80', 'x', '999.1.1.1:5', '[1.2.3.4]:5', ':80']) expect(viewerIp(bad), String(bad)).toBeNull();
  });

  it('socket: the connecting peer, whatever X-Forwarded-For or CloudFront-Viewer-Address the client sent', () => {
    const rule = { source: 'socket', trustedProxyHops: 3 } as const;
    expect(clientAddress(evidence('6.6.6.6, 7.7.7.7, 10.0.0.9', '5.5.5.5:1'), rule)).toBe('10.0.0.9');
  });

  it('x-forwarded-for: TRUSTED_PROXY_HOPS from the right; a forged CloudFront-Viewer-Address changes nothing', () => {
    const rule = { source: 'x-forwarded-for', trustedProxyHops: 1 } as const;
    expect(clientAddress(evidence('6.6.6.6, 198.51.100.10, 10.0.0.9', '5.5.5.5:1'), rule)).toBe('198.51.100.10');
    expect(clientAddress(evidence('198.51.100.10, 10.0.0.9'), rule)).toBe('198.51.100.10');
  });

  it('cloudfront: the viewer address CloudFront saw; a forged X-Forwarded-For changes nothing', () => {
    const rule = { source: 'cloudfront', trustedProxyHops: 0 } as const;
    expect(clientAddress(evidence('6.6.6.6, 198.51.100.10, 10.0.0.9', '198.51.100.10:46532'), rule)).toBe('198.51.100.10');
    expect(clientAddress(evidence('1.1.1.1, 10.0.0.9', '198.51.100.10:46532'), rule)).toBe('198.51.100.10');
    // Not through CloudFront: keyed on the peer, never on what the client wrote.
    expect(clientAddress(evidence('6.6.6.6, 10.0.0.9', 'garbage'), rule)).toBe('10.0.0.9');
    expect(clientAddress(evidence('6.6.6.6, 10.0.0.9'), rule)).toBe('10.0.0.9');
  });

  it('keys IPv6 caps on the /64, however the address is written; IPv4 (also IPv4-mapped) as it is', () => {
    const one = ['2001:db8:0:1::1', '2001:0db8:0000:0001:ffff:ffff:ffff:ffff', '2001:DB8:0:1:aaaa::', '2001:db8::1:0:0:0:7'];
    expect(new Set(one.map(addressKey))).toEqual(new Set(['2001:db8:0:1::/64']));
    expect(addressKey('2001:db8:0:2::1')).toBe('2001:db8:0:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(addressKey('198.51.100.7')).toBe('198.51.100.7');
    expect(addressKey('unknown')).toBe('unknown');
  });

  it('every source gives the whole IPv6 address (bans match it), whose cap key is its /64', () => {
    const a = clientAddress(evidence('2001:db8:0:1::a'), { source: 'socket', trustedProxyHops: 0 });
    const b = clientAddress(evidence('6.6.6.6, 2001:db8:0:1::b, 10.0.0.1'), { source: 'x-forwarded-for', trustedProxyHops: 1 });
    const c = clientAddress(evidence('10.0.0.1', '2001:db8:0:1::c:443'), { source: 'cloudfront', trustedProxyHops: 0 });
    expect([a, b, c]).toEqual(['2001:db8:0:1::a', '2001:db8:0:1::b', '2001:db8:0:1::c']);
    expect(new Set([a, b, c].map(addressKey))).toEqual(new Set(['2001:db8:0:1::/64']));
  });
});
