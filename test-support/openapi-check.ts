// Checks HTTP responses against the OpenAPI document (lambdas/openapi.ts) with Ajv (JSON
// Schema 2020-12, OpenAPI 3.1's dialect): the path and method are described (or the answer is
// the documented 404/405), the status is one the operation lists, the content type is one it
// declares, and a JSON body matches its schema.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Config } from '../core/config.ts';
import { openApiDocument } from '../lambdas/openapi.ts';

interface Operation { responses: Record<string, { content?: Record<string, unknown> }> }
type Doc = { paths: Record<string, Record<string, Operation>> };

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export class OpenApiCheck {
  private readonly doc: Doc;
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly templates: { template: string; pattern: RegExp }[];

  constructor(config: Pick<Config, 'board' | 'cooldown' | 'sessionMaxAgeMs'>) {
    this.doc = openApiDocument(config) as unknown as Doc;
    this.ajv.addSchema({ ...this.doc, $id: 'openapi.json' });
    this.templates = Object.keys(this.doc.paths).map((template) => ({
      template, pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`),
    }));
  }

  /** What is wrong with this response by the document; empty when nothing is. */
  problems(method: string, path: string, status: number, contentType: string | null, body: unknown): string[] {
    const at = `${method} ${path} → ${status}`;
    const found = this.templates.find((t) => t.pattern.test(path));
    const isError = (b: unknown) => this.validate(pointer('components', 'schemas', 'Error'), b).length === 0;
    if (!found) return status === 404 && isError(body) ? [] : [`${at}: the path is not in the OpenAPI document`];
    const m = method === 'HEAD' ? 'get' : method.toLowerCase();
    const operation = this.doc.paths[found.template]![m];
    if (!operation) return status === 405 && isError(body) ? [] : [`${at}: the method is not in the OpenAPI document`];
    const response = operation.responses[String(status)];
    if (!response) return [`${at}: status ${status} is not listed (${Object.keys(operation.responses).join(', ')})`];
    if (!response.content) return [];
    const type = (contentType ?? '').split(';')[0]!.trim();
    if (!(type in response.content)) return [`${at}: content type "${type}" is not one of ${Object.keys(response.content).join(', ')}`];
    if (type !== 'application/json' || method === 'HEAD') return [];
    return this.validate(pointer('paths', found.template, m, 'responses', String(status), 'content', type, 'schema'), body).map((p) => `${at}: ${p}`);
  }

  private validate(jsonPointer: string, value: unknown): string[] {
    const validate = this.ajv.getSchema(`openapi.json#/${jsonPointer}`);
    if (!validate) return [`no schema at #/${jsonPointer}`];
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || 'body'} ${e.message}`);
  }
}

/** `fetch`, but every response is checked against the document first (a mismatch throws). */
export function checkedFetch(check: OpenApiCheck): (url: string, init?: RequestInit) => Promise<Response> {
  return async (url, init) => {
    const res = await fetch(url, init);
    const copy = res.clone();
    const type = copy.headers.get('content-type');
    const body = type?.includes('json') ? await copy.json() : null;
    const { pathname } = new URL(url);
    const problems = check.problems(init?.method ?? 'GET', pathname, res.status, type, body);
    if (problems.length) throw new Error(`response does not match the OpenAPI document:\n${problems.join('\n')}`);
    return res;
  };
}
