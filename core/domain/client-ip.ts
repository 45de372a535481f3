// The client's address, from one trusted source chosen by configuration (CLIENT_ADDRESS_SOURCE),
// so the HTTP functions and the socket servers key their per-address caps on the same value:
//  - 'socket': the address that connected to us (the last X-Forwarded-For entry, which the ALB,
//    the local gateway or the socket server itself appended);
//  - 'x-forwarded-for': X-Forwarded-For, trusting `trustedProxyHops` proxies in front of the one
//    that connected to us. Each proxy appends the address it saw, so anything further left was
//    written by the client and may be forged;
//  - 'cloudfront': the CloudFront-Viewer-Address header (`ip:port`), which CloudFront adds when the
//    origin request policy asks for it. Trusted only in this mode, i.e. when the origin can be
//    reached through CloudFront alone.
// Per-address caps key an IPv6 address on its /64 (addressKey): one subscriber usually gets a whole
// /64 (often more), so per-/128 caps would be no caps at all. Bans keep the whole address.
import { isIP } from 'node:net';

export const CLIENT_ADDRESS_SOURCES = ['socket', 'x-forwarded-for', 'cloudfront'] as const;
export type ClientAddressSource = (typeof CLIENT_ADDRESS_SOURCES)[number];

export interface ClientAddressRule {
  source: ClientAddressSource;
  trustedProxyHops: number;
}

/** What a request says about its sender: the headers as they arrived at our code. */
export interface AddressEvidence {
  /** X-Forwarded-For with the connecting peer appended (as the ALB passes it to a Lambda). */
  forwardedFor: string | undefined;
  /** CloudFront-Viewer-Address, if the request has one. */
  viewerAddress: string | undefined;
}

/** The entry `trustedProxyHops` places left of the right-most one (which our own side appended). */
export function clientIp(forwardedFor: string | undefined, trustedProxyHops: number): string {
  const hops = (forwardedFor ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (hops.length === 0) return 'unknown';
  return hops[Math.max(0, hops.length - 1 - trustedProxyHops)]!;
}

/**
 * The IP of a CloudFront-Viewer-Address value: `198.51.100.10:46532`, IPv6 unbracketed
 * (`2001:db8::1:46532`; the port is what follows the last colon), or defensively `[v6]:port`.
 * If several values were joined, the last is the one CloudFront added. Null when it is not an address.
 */
export function viewerIp(value: string | undefined): string | null {
  const last = value?.split(',').pop()?.trim();
  if (!last) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(last);
  if (bracketed) return isIP(bracketed[1]!) === 6 ? bracketed[1]! : null;
  const colon = last.lastIndexOf(':');
  if (colon > 0 && /^\d{1,5}$/.test(last.slice(colon + 1))) {
    const ip = last.slice(0, colon);
    if (isIP(ip)) return ip;
  }
  return isIP(last) ? last : null;
}

/**
 * The address caps are keyed on. In 'cloudfront' mode a request without a usable viewer address
 * (not through CloudFront: a health check, a misconfigured policy) is keyed on its peer, which
 * behind CloudFront is one shared address: such requests share one cap rather than escape it.
 */
export function clientAddress(evidence: AddressEvidence, rule: ClientAddressRule): string {
  switch (rule.source) {
    case 'socket':
      return clientIp(evidence.forwardedFor, 0);
    case 'x-forwarded-for':
      return clientIp(evidence.forwardedFor, rule.trustedProxyHops);
    case 'cloudfront':
      return viewerIp(evidence.viewerAddress) ?? clientIp(evidence.forwardedFor, 0);
  }
}

/**
 * What per-address caps count: an IPv4 address as it is (also when written IPv4-mapped,
 * ::ffff:a.b.c.d, as a dual-stack socket reports it), an IPv6 address as its /64
 * ("2001:db8:0:1::/64"), anything else unchanged.
 */
export function addressKey(ip: string): string {
  const bare = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped && isIP(mapped[1]!) === 4) return mapped[1]!;
  if (isIP(bare) !== 6) return ip;
  const [head = '', tail] = bare.toLowerCase().split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const left = groups(head);
  const right = groups(tail);
  // "::" stands for as many zero groups as are missing; only the first four groups matter here.
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${all.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
