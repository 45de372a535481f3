// GET /healthz → 200 when both stores answer, 503 otherwise.
import { albHandler } from './http/handler.ts';
import { errorResponse, json } from './http/responses.ts';
import { services } from './runtime.ts';

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  return Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref())]);
}

export const handler = albHandler('health', async () => {
  try {
    const s = await within(3000, services());
    await within(2000, Promise.all([s.store.ping(), s.log.ping()]));
    return json(200, { status: 'ok' });
  } catch (err) {
    return errorResponse(503, 'unavailable', `A store does not answer: ${(err as Error).message}`, { 'retry-after': '5' });
  }
});
