// The client's address from X-Forwarded-For. Each proxy appends the address it saw, so the
// trustworthy entry is the one added by the outermost proxy we run (CloudFront, then the ALB);
// anything further left was written by the client and may be forged.

export function clientIp(forwardedFor: string | undefined, trustedProxyHops: number): string {
  const hops = (forwardedFor ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (hops.length === 0) return 'unknown';
  return hops[Math.max(0, hops.length - 1 - trustedProxyHops)]!;
}
