// Addresses and CIDR ranges (IPv4 and IPv6) as bit strings, so a ban check is a lookup of the
// address's prefixes of each banned length (inside the atomic write script, which cannot parse
// addresses). Parsing by ipaddr.js (maintained; IPv6 compression and IPv4-mapped forms are easy to get wrong).
import ipaddr from 'ipaddr.js';

export interface CidrRange {
  /** Normalised text: "203.0.113.0/24", "2001:db8::/32". */
  cidr: string;
  family: 4 | 6;
  prefix: number;
  /** "4:" or "6:" then the first `prefix` bits of the network as "0"/"1". */
  key: string;
}

function bitsOf(bytes: number[]): string {
  return bytes.map((b) => b.toString(2).padStart(8, '0')).join('');
}

/** IPv4-mapped IPv6 (::ffff:a.b.c.d) counts as the IPv4 address. */
function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  // Only dotted quads for IPv4 (ipaddr.js also takes "10.1" and hex forms, which nobody means in a ban).
  if (!ipaddr.isValid(text) || (!text.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(text))) return null;
  return ipaddr.process(text);
}

/** "4:<32 bits>" or "6:<128 bits>" of an address, or null for one that is not (e.g. "unknown"). */
export function addressBits(ip: string): string | null {
  const addr = parseAddress(ip.trim());
  if (!addr) return null;
  return `${addr.kind() === 'ipv4' ? 4 : 6}:${bitsOf(addr.toByteArray())}`;
}

/** A CIDR ("10.0.0.0/8", "2001:db8::/32") or a single address (a /32 or /128), normalised; null if neither. */
export function parseCidr(text: string): CidrRange | null {
  const raw = text.trim();
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  let prefix: number;
  if (raw.includes('/')) {
    if (!/\/\d{1,3}$/.test(raw) || !parseAddress(raw.slice(0, raw.lastIndexOf('/')))) return null;
    let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
      parsed = ipaddr.parseCIDR(raw);
    } catch {
      return null;
    }
    [addr, prefix] = parsed;
    // ::ffff:a.b.c.d/n with n ≥ 96 is the IPv4 range a.b.c.d/(n − 96).
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && prefix >= 96) {
      addr = (addr as ipaddr.IPv6).toIPv4Address();
      prefix -= 96;
    }
  } else {
    const single = parseAddress(raw);
    if (!single) return null;
    addr = single;
    prefix = addr.kind() === 'ipv4' ? 32 : 128;
  }
  const family = addr.kind() === 'ipv4' ? 4 : 6;
  const bits = bitsOf(addr.toByteArray()).slice(0, prefix);
  const networkBytes = (bits.padEnd(family === 4 ? 32 : 128, '0').match(/.{8}/g) ?? []).map((b) => parseInt(b, 2));
  const network = family === 4 ? new ipaddr.IPv4(networkBytes) : ipaddr.fromByteArray(networkBytes);
  return { cidr: `${network.toString()}/${prefix}`, family, prefix, key: `${family}:${bits}` };
}

/** Whether the address (its bits) lies in the range. */
export function rangeContains(range: CidrRange, bits: string | null): boolean {
  return bits !== null && bits.startsWith(`${range.family}:`) && bits.slice(2, 2 + range.prefix) === range.key.slice(2);
}
