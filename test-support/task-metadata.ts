// A stand-in for the ECS task metadata endpoint (v4) on loopback: `GET /task` answers the
// documented fields the socket server reads (DesiredStatus, KnownStatus), and a test flips the
// desired status to STOPPED as ECS does when it starts stopping the task. (The real endpoint
// exists only inside an ECS task.)
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TaskMetadataServer {
  /** What to put in ECS_CONTAINER_METADATA_URI_V4. */
  readonly url: string;
  desiredStatus: 'RUNNING' | 'STOPPED';
  /** Answer this status instead of the task (e.g. 500), until set back to null. */
  failWith: number | null;
  readonly requests: number;
  close(): Promise<void>;
}

export async function startTaskMetadata(): Promise<TaskMetadataServer> {
  let requests = 0;
  const state = { desiredStatus: 'RUNNING' as 'RUNNING' | 'STOPPED', failWith: null as number | null };
  const server = http.createServer((req, res) => {
    requests++;
    if (state.failWith !== null) return void res.writeHead(state.failWith).end();
    if (req.url !== '/v4/test-container/task') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Cluster: 'local', TaskARN: 'arn:aws:ecs:local:000000000000:task/local/0', Family: 'socket', DesiredStatus: state.desiredStatus, KnownStatus: 'RUNNING' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v4/test-container`,
    get desiredStatus() { return state.desiredStatus; },
    set desiredStatus(v) { state.desiredStatus = v; },
    get failWith() { return state.failWith; },
    set failWith(v) { state.failWith = v; },
    get requests() { return requests; },
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
