import { describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { openApiDocument } from './openapi.ts';
import { ROUTES } from './routes.ts';
import { loadConfig } from '../core/config.ts';
import { checkPixelWrite } from '../core/domain/pixel-write.ts';
import { MAX_BOARD_SIDE } from '../core/domain/board-codec.ts';

const config = loadConfig({});
const doc = openApiDocument(config) as { paths: Record<string, Record<string, { operationId: string }>>; components: { schemas: Record<string, object> } };

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every route of the route table with its function as operationId, and nothing else', () => {
    const described = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`));
    const routes = ROUTES.map((r) => `${r.method} ${r.openapiPath ?? r.path} ${r.name}`);
    expect(described.sort()).toEqual(routes.sort());
  });

  it('describes the pixel write body exactly as the handler checks its shape (coordinates bounded by the largest board)', () => {
    const validate = new Ajv2020({ strict: false }).compile(doc.components.schemas.PixelWrite!);
    const samples: unknown[] = [
      { x: 0, y: 0, color: 0 }, { x: 4095, y: 4095, color: 15 }, { x: 4096, y: 0, color: 0 }, { x: -1, y: 0, color: 0 }, { x: 1.5, y: 0, color: 0 },
      { x: '1', y: 0, color: 0 }, { x: 0, y: 0 }, { x: 0, y: 0, color: 16 }, { x: 0, y: 0, color: null }, { x: 0, y: 0, color: 1, extra: true }, [], null, 'x',
    ];
    for (const body of samples) expect({ body, valid: validate(body) }).toEqual({ body, valid: checkPixelWrite(body, { width: MAX_BOARD_SIDE, height: MAX_BOARD_SIDE }).ok });
  });
});
