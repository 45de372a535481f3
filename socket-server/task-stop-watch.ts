// On ECS, the first sign that a task is being stopped is its desired status turning STOPPED. The
// service then deregisters the task from the target group and waits out the deregistration delay
// (the ALB keeps open sockets open meanwhile, and cuts them all when it ends) before it sends
// SIGTERM. So the socket server drains when the task metadata endpoint (v4) says STOPPED, not on
// SIGTERM: its reconnect requests are spread over the drain window while the ALB still carries
// them. See docs/DEPLOY.md, "How a socket server stops".
import { countEvent, log, reportFailure } from '../core/observability/telemetry.ts';

export interface TaskStopWatchOptions {
  /** ECS_CONTAINER_METADATA_URI_V4 (the agent sets it in every container). */
  metadataUrl: string;
  everyMs: number;
  /** Called once, when the task's desired status is STOPPED. */
  onStopping: () => void;
  fetch?: typeof fetch;
}

/** The documented `${ECS_CONTAINER_METADATA_URI_V4}/task` response, as far as we read it. */
interface TaskMetadata {
  DesiredStatus?: string;
  KnownStatus?: string;
}

export function watchTaskStop(options: TaskStopWatchOptions): { stop(): void } {
  const get = options.fetch ?? fetch;
  const url = `${options.metadataUrl.replace(/\/+$/, '')}/task`;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let failing = false;

  const poll = async () => {
    try {
      const res = await get(url, { signal: AbortSignal.timeout(Math.max(options.everyMs, 1000)) });
      if (!res.ok) throw new Error(`task metadata answered ${res.status}`);
      const task = (await res.json()) as TaskMetadata;
      if (failing) log.info('task metadata answers again');
      failing = false;
      if (task.DesiredStatus === 'STOPPED') {
        stopped = true;
        log.info('the task is being stopped: draining', { desiredStatus: task.DesiredStatus, knownStatus: task.KnownStatus });
        options.onStopping();
      }
    } catch (err) {
      // Reported once per outage, counted every time: a poll every second would flood the log.
      if (!failing) reportFailure('task-metadata', err);
      else countEvent('socket.task_metadata_failed');
      failing = true;
    }
  };
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => void poll().finally(next), options.everyMs);
    timer.unref();
  };
  next();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
