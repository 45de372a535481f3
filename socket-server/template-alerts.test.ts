// Grief alerts end to end in one process: a client watching a template gets a control message
// when one of its right pixels is turned wrong; a client watching another template does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { attachSocketServer, type LocalSockets } from '../local/local-sockets.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { nodeSync, waitUntil, type RecordingSync } from '../test-support/sync-clients.ts';
import { startTemplateTracker, type TemplateTracker } from '../core/community/template-tracker.ts';
import type { TemplateGriefedMessage } from '../core/protocol/messages.ts';

describe('grief alerts over the socket', () => {
  let f: ServiceFixture;
  let sockets: LocalSockets;
  let tracker: TemplateTracker;
  const clients: RecordingSync[] = [];
  beforeAll(async () => {
    f = await startServiceFixture('embedded', { env: { BOARD_WIDTH: '20', BOARD_HEIGHT: '20', COOLDOWN_MS: '0', TEMPLATE_TICK_MS: '10' } });
    sockets = await attachSocketServer(f.services, f.server);
    tracker = startTemplateTracker(f.config, f.services.store, f.services.community.live);
  });
  afterAll(async () => {
    for (const c of clients) c.sync.stop();
    await tracker?.stop();
    await sockets?.close();
    await f?.close();
  });

  const createTemplate = async (api: ApiClient, x: number) => {
    const png = await sharp({ create: { width: 2, height: 1, channels: 4, background: '#E50000' } }).png().toBuffer();
    const res = await api.request<{ id: string }>('POST', '/api/templates', {
      body: JSON.stringify({ name: 'red', x, y: 0, image: png.toString('base64') }), headers: { 'content-type': 'application/json' },
    });
    return res.body.id;
  };

  it('tells the clients watching a template which of its pixels were griefed, and nobody else', async () => {
    const api = await new ApiClient(f.url).startSession();
    const watched = await createTemplate(api, 0);
    const other = await createTemplate(api, 10);
    const alerts: TemplateGriefedMessage[][] = [[], []];
    for (const [i, id] of [watched, other].entries()) {
      const c = nodeSync({ apiUrl: f.url, socketUrls: [`${f.url.replace('http', 'ws')}/ws`] });
      c.sync.watchTemplate(id);
      c.sync.on('griefed', (m) => alerts[i]!.push(m));
      clients.push(c);
    }
    await waitUntil('clients live', () => clients.every((c) => c.sync.status === 'live'));
    await api.place(0, 0, 5); // right
    await api.place(1, 0, 5); // right
    await expect.poll(async () => (await api.request('GET', `/api/templates/${watched}`)).body.correct).toBe(2);
    await api.place(1, 0, 3); // griefed
    await waitUntil('the alert', () => alerts[0]!.length > 0);
    expect(alerts[0]).toEqual([{ type: 'template-griefed', template: watched, count: 1, pixels: [[1, 0]], seq: 3 }]);
    expect(alerts[1]).toEqual([]);
    expect((await api.request('GET', `/api/templates/${watched}`)).body).toMatchObject({ correct: 1, griefedLastHour: 1 });
  });
});
