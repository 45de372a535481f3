// One suite for every MediaStore adapter.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MediaStore } from './media-store.ts';
import { tempDir } from '../../test-support/test-services.ts';

export function describeMediaStoreContract(name: string, open: () => Promise<{ store: MediaStore; close(): Promise<void> }>): void {
  describe(`${name} media store contract`, () => {
    let fixture: { store: MediaStore; close(): Promise<void> };
    beforeEach(async () => { fixture = await open(); });
    afterEach(async () => fixture.close());

    it('gives back what was put under a key, and null and no size for a key never put', async () => {
      const bytes = Uint8Array.from({ length: 3000 }, (_, i) => i % 251);
      await fixture.store.put('templates/abc.png', bytes, { contentType: 'image/png' });
      expect(Buffer.from((await fixture.store.get('templates/abc.png'))!).equals(Buffer.from(bytes))).toBe(true);
      expect(await fixture.store.size('templates/abc.png')).toBe(3000);
      expect(await fixture.store.get('templates/none.png')).toBeNull();
      expect(await fixture.store.size('templates/none.png')).toBeNull();
    });

    it('uploads a file', async () => {
      const file = path.join(tempDir('media-src'), 'x.csv');
      writeFileSync(file, 'a,b\n1,2\n');
      await fixture.store.putFile('export/1/x.csv', file, { contentType: 'text/csv' });
      expect(Buffer.from((await fixture.store.get('export/1/x.csv'))!).toString()).toBe('a,b\n1,2\n');
    });

    it('refuses keys that could leave its folder or prefix', async () => {
      await expect(fixture.store.put('../x', new Uint8Array(1), { contentType: 'text/plain' })).rejects.toThrow(/not a media key/);
      await expect(fixture.store.get('a/../../x')).rejects.toThrow(/not a media key/);
    });
  });
}
