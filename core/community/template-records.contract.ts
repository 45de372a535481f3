// One suite for every TemplateRecords adapter.
import { describe, expect, it } from 'vitest';
import type { TemplateRecords } from './template-records.ts';

export function describeTemplateRecordsContract(name: string, open: () => Promise<TemplateRecords>): void {
  describe(`${name} template records contract`, () => {
    it('keeps a template and gives it back; null for an id never stored', async () => {
      const records = await open();
      const record = { id: 'Abc-_123xyz', name: 'Ein Bild ✓', x: 10, y: 20, width: 30, height: 40, pixels: 1000, createdBy: 'user1', createdAt: 1_795_000_000_123 };
      await records.put(record);
      expect(await records.get('Abc-_123xyz')).toEqual(record);
      expect(await records.get('zzzzzzzzzzz')).toBeNull();
    });
  });
}
