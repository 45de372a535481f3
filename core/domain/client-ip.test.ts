import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip.ts';

describe('client IP', () => {
  it('takes the address our outermost trusted proxy saw, ignoring what the client forged', () => {
    expect(clientIp('6.6.6.6, 1.2.3.4', 0)).toBe('1.2.3.4');
    expect(clientIp('6.6.6.6, 1.2.3.4, 10.0.0.1', 1)).toBe('1.2.3.4');
    expect(clientIp(undefined, 0)).toBe('unknown');
  });
});
