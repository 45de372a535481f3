import { describe, expect, it } from 'vitest';
import { parseRequestTarget } from './request-target.ts';

describe('request target parsing', () => {
  it('splits origin-form targets into path and query', () => {
    expect(parseRequestTarget('/ws?token=a%20b')).toMatchObject({ path: '/ws', rawQuery: 'token=a%20b' });
    expect(parseRequestTarget('/ws?token=a%20b')!.query.get('token')).toBe('a b');
  });

  it.each(['//[', '//%zz', '//[::1', '//a%00b/ws'])('never throws on the hostile target %j and keeps it an odd path', (target) => {
    expect(parseRequestTarget(target)).toMatchObject({ path: target, rawQuery: '' });
  });

  it('decodes a query with broken %-encoding leniently instead of throwing', () => {
    expect(parseRequestTarget('/ws?x=%')!.query.get('x')).toBe('%');
    expect(parseRequestTarget('/api/pixels?since=%E0%A4%A')).toMatchObject({ path: '/api/pixels', rawQuery: 'since=%E0%A4%A' });
  });

  it('parses absolute-form targets and refuses the unparseable ones', () => {
    expect(parseRequestTarget('http://example.com/ws?a=1')).toMatchObject({ path: '/ws', rawQuery: 'a=1' });
    expect(parseRequestTarget('http://[')).toBeNull();
    expect(parseRequestTarget('*')).toBeNull();
    expect(parseRequestTarget('')).toBeNull();
    expect(parseRequestTarget(undefined)).toBeNull();
  });
});
