// A small typed client for the HTTP API, used by tests and benchmarks. Given an OpenApiCheck,
// it checks every response against the OpenAPI document and throws on a mismatch.
import type { OpenApiCheck } from './openapi-check.ts';
import { solveChallenge, type Challenge } from './pow-solver.ts';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export class ApiClient {
  token: string | null = null;
  userId: string | null = null;

  constructor(readonly baseUrl: string, private readonly check?: OpenApiCheck) {}

  private checked(method: string, path: string, status: number, contentType: string | null, body: unknown): void {
    const problems = this.check?.problems(method, path.split('?')[0]!, status, contentType, body) ?? [];
    if (problems.length) throw new Error(`response does not match the OpenAPI document:\n${problems.join('\n')}`);
  }

  async request<T = Record<string, unknown>>(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.token && !headers.authorization) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: init.body });
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json') ? await res.json() : new Uint8Array(await res.arrayBuffer());
    this.checked(method, path, res.status, res.headers.get('content-type'), body);
    return { status: res.status, headers: res.headers, body: body as T };
  }

  /** The solution of a 403 challenge_required's challenge, or null when the answer is another one. */
  static solutionOf(res: ApiResponse): string | null {
    if (res.status !== 403 || res.body.error !== 'challenge_required') return null;
    return solveChallenge(res.body.challenge as Challenge)?.payload ?? null;
  }

  /** Starts a session, solving the proof-of-work challenge when the service asks for one. */
  async startSession(): Promise<this> {
    let res = await this.request<{ userId: string; token: string }>('POST', '/api/session');
    const solution = ApiClient.solutionOf(res as ApiResponse);
    if (solution) {
      res = await this.request('POST', '/api/session', { body: JSON.stringify({ challenge: solution }), headers: { 'content-type': 'application/json' } });
    }
    if (res.status !== 201) throw new Error(`session: ${res.status} ${JSON.stringify(res.body)}`);
    this.token = res.body.token;
    this.userId = res.body.userId;
    return this;
  }

  /** Places a pixel; asked for a challenge, it solves it and asks again (as the page does). */
  async place(x: number, y: number, color: number) {
    const post = (challenge?: string) => this.request('POST', '/api/pixels', {
      body: JSON.stringify({ x, y, color, challenge }), headers: { 'content-type': 'application/json' },
    });
    const res = await post();
    const solution = ApiClient.solutionOf(res);
    return solution ? post(solution) : res;
  }

  async board(): Promise<{ bytes: Uint8Array; seq: number }> {
    const res = await fetch(`${this.baseUrl}/api/board`);
    this.checked('GET', '/api/board', res.status, res.headers.get('content-type'), null);
    if (res.status !== 200) throw new Error(`board: ${res.status}`);
    return { bytes: new Uint8Array(await res.arrayBuffer()), seq: Number(res.headers.get('x-board-seq')) };
  }
}
