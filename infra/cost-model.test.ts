// The cost model's arithmetic, checked by hand on small numbers, and the figures the issue says
// the old table missed: Keyspaces at the post-2024 price, the page's board re-checks, ALB capacity
// units, and the app's default deployment in the 1k column.
import { describe, expect, it } from 'vitest';
import {
  ALARMS_BEYOND_FUNCTIONS, ASSUMED, CACHE_NODE_HOUR, PRICES, cloudFrontTransferUsd, costTable, estimate, monthScenario, rplace2022Scenario,
  socketBytesPerClientSecond, type AppBehaviour, type Estimate,
} from './cost-model.ts';
import { DEFAULTS } from './settings.ts';
import { loadConfig } from '../core/config.ts';

const config = loadConfig({});
const APP: AppBehaviour = { board: config.board, tickMs: config.socket.tickMs, onlineIntervalMs: config.socket.onlineIntervalMs, checkIntervalMs: 180_000 };
const GB = 1024 ** 3;
const TB = 1024 * GB;
const item = (e: Estimate, name: string) => e.items.find((i) => i.item === name)!.usd;

describe('cost model', () => {
  it('tiers CloudFront transfer by the month\'s volume', () => {
    expect(cloudFrontTransferUsd(GB)).toBeCloseTo(0.085, 6);
    expect(cloudFrontTransferUsd(10 * TB)).toBeCloseTo(10 * 1024 * 0.085, 6);
    expect(cloudFrontTransferUsd(60 * TB)).toBeCloseTo(1024 * (10 * 0.085 + 40 * 0.080 + 10 * 0.060), 6);
  });

  it('counts a socket\'s bytes: a frame per non-empty tick (7 + 5 per pixel + framing) and the online count', () => {
    const app = { ...APP, tickMs: 50, onlineIntervalMs: 5000 };
    const online = 0.2 * (30 + ASSUMED.messageOverheadBytes);
    // No pixels: only the online count.
    expect(socketBytesPerClientSecond(0, app)).toBeCloseTo(online, 9);
    // Far more pixels than ticks: every tick carries a frame.
    expect(socketBytesPerClientSecond(10_000, app)).toBeCloseTo(20 * (7 + ASSUMED.messageOverheadBytes) + 10_000 * 5 + online, 3);
    // A slower tick sends fewer frames for the same pixels.
    expect(socketBytesPerClientSecond(40, { ...app, tickMs: 200 })).toBeLessThan(socketBytesPerClientSecond(40, app));
  });

  it('prices the fixed shape of the default deployment as the CDK app builds it', () => {
    const e = estimate(monthScenario(1000, DEFAULTS), APP);
    expect(item(e, 'NAT gateway')).toBeCloseTo(730 * 0.045 + ASSUMED.natGbPerMonth * 0.045, 6);
    expect(item(e, 'ElastiCache')).toBeCloseTo(2 * 730 * CACHE_NODE_HOUR['cache.r7g.large']!, 6);
    expect(item(e, 'Fargate socket servers')).toBeCloseTo(2 * 730 * (0.03238 + 2 * 0.00356), 6);
    expect(item(e, 'Interface endpoints')).toBeGreaterThanOrEqual(2 * 2 * 730 * 0.01);
    // The "~$450–500" for the app's defaults at 1k users.
    expect(e.total).toBeGreaterThan(420);
    expect(e.total).toBeLessThan(520);
  });

  it('runs the page\'s writes on the writer tasks: at least writerMinTasks, more when the peak needs more CPU than half theirs; none in Lambda', () => {
    const taskHour = 0.5 * 0.03238 + 1 * 0.00356;
    const month = estimate(monthScenario(1000, DEFAULTS), APP);
    expect(item(month, 'Fargate writers')).toBeCloseTo(2 * 730 * taskHour, 6);
    expect(month.items.find((i) => i.item === 'Fargate writers')!.note).toMatch(/every pixel assumed placed over HTTP/);
    // 0.5 vCPU kept at 50 %, 1 ms of CPU a write: 250 writes/s a task; r/place's 1,640/s at the peak needs 7.
    const event = estimate(rplace2022Scenario(DEFAULTS), APP);
    expect(event.items.find((i) => i.item === 'Fargate writers')!.note).toContain('7 at the peak');
    const avgRate = event.scenario.pixels / (83 * 3600);
    expect(item(event, 'Fargate writers')).toBeCloseTo(Math.max(2, avgRate / 250) * 83 * taskHour, 6);
    expect(estimate(rplace2022Scenario({ ...DEFAULTS, writerMaxTasks: 6 }), APP).warnings.join()).toMatch(/7 writer tasks at the peak: raise writerMaxTasks \(6\)/);
    // More pixels cost the writers (above their minimum) and Keyspaces, not Lambda.
    const base = monthScenario(1_000_000, DEFAULTS);
    const busier = estimate({ ...base, pixels: base.pixels * 100, peakPixelsPerSecond: base.peakPixelsPerSecond * 100 }, APP);
    expect(item(busier, 'Lambda')).toBeCloseTo(item(estimate(base, APP), 'Lambda'), 9);
    expect(item(busier, 'Fargate writers')).toBeGreaterThan(item(estimate(base, APP), 'Fargate writers'));
  });

  it('prices Keyspaces writes at the post-2024 on-demand rate, three rows a pixel', () => {
    expect(PRICES.keyspacesWriteUnit.usd).toBe(0.625e-6);
    const e = estimate(monthScenario(1_000_000, DEFAULTS), APP);
    const writes = 1_000_000 * 100 * 3 * 0.625e-6;
    expect(item(e, 'Keyspaces')).toBeGreaterThan(writes);
    expect(item(e, 'Keyspaces')).toBeLessThan(writes + 20);
  });

  it('counts the board re-check every open page makes: about 30 TB a month at 1M users', () => {
    const e = estimate(monthScenario(1_000_000, DEFAULTS), APP);
    // 10 M socket-hours × 20 checks an hour × 150 KB.
    const expected = 10_000_000 * 20 * 500_000 * ASSUMED.boardGzipRatio;
    expect(e.traffic.recheckTb * TB).toBeCloseTo(expected, -6);
    expect(e.traffic.recheckTb).toBeGreaterThan(25);
    expect(e.traffic.recheckTb).toBeLessThan(35);
    expect(estimate(monthScenario(1_000_000, DEFAULTS), { ...APP, checkIntervalMs: 360_000 }).traffic.recheckTb).toBeCloseTo(e.traffic.recheckTb / 2, 6);
  });

  it('charges ALB capacity units on the largest dimension: at scale, the socket bytes it carries', () => {
    const small = estimate(monthScenario(1000, DEFAULTS), APP);
    const big = estimate(monthScenario(1_000_000, DEFAULTS), APP);
    expect(item(small, 'Load balancer')).toBeGreaterThanOrEqual(730 * 0.0225);
    const socketGbPerHour = (big.traffic.socketTb * TB) / GB / 730;
    expect(item(big, 'Load balancer')).toBeGreaterThanOrEqual(730 * 0.0225 + socketGbPerHour * 730 * 0.008);
  });

  it('sizes the r/place-2022 event: 83 hours, ~160 M pixels, enough socket tasks, and says what to raise', () => {
    const s = rplace2022Scenario(DEFAULTS);
    expect(s.hours).toBe(83);
    expect(s.pixels).toBeCloseTo(1640 / 3 * 83 * 3600, 0);
    expect(s.deploy.socketMaxTasks).toBeGreaterThanOrEqual(s.peakConcurrent / 5000);
    const e = estimate(s, APP);
    expect(item(e, 'ElastiCache')).toBeCloseTo(2 * 83 * CACHE_NODE_HOUR['cache.r7g.large']!, 6);
    expect(estimate(monthScenario(10_000_000, DEFAULTS), APP).warnings.join()).toMatch(/socketMaxTasks/);
  });

  it('prices the scheduled snapshots: a function run and an S3 PUT every snapshotEveryMinutes, each snapshot kept', () => {
    const S3 = 'S3 (page, snapshots, published boards, access logs)';
    const every5 = estimate(monthScenario(1000, DEFAULTS), APP);
    const every1 = estimate(monthScenario(1000, { ...DEFAULTS, snapshotEveryMinutes: 1 }), APP);
    const moreRuns = 730 * 60 - 730 * 12;
    // A request and 500 ms at 1 GB; a PUT and a 150 KB object (the 500 KB board gzipped to 30 %) kept for the month.
    expect(item(every1, 'Lambda') - item(every5, 'Lambda')).toBeCloseTo(moreRuns * (0.2e-6 + 0.5 * 0.0000133334), 6);
    expect(item(every1, S3) - item(every5, S3)).toBeCloseTo(moreRuns * (0.005 / 1000 + (150_000 / GB) * 0.023), 6);
  });

  it('prices the published boards: a PUT a second and a PNG every 10 s, whatever the audience', () => {
    const S3 = 'S3 (page, snapshots, published boards, access logs)';
    const month = estimate(monthScenario(1000, DEFAULTS), APP).items.find((i) => i.item === S3)!;
    const puts = 730 * 3600 * (1 + 1 / 10);
    expect(month.usd).toBeGreaterThan(puts * 0.005 / 1000);
    expect(month.note).toContain('2.9 M published boards');
  });

  it('prints one row an item and one column a scenario, with totals that add up', () => {
    const estimates = [1000, 100_000].map((u) => estimate(monthScenario(u, DEFAULTS), APP));
    for (const e of estimates) expect(e.total).toBeCloseTo(e.items.reduce((sum, i) => sum + i.usd, 0), 9);
    const table = costTable(estimates).split('\n');
    expect(table[0]).toBe('| item | 1,000 users | 100,000 users |');
    expect(table).toHaveLength(2 + estimates[0]!.items.length + 1);
    expect(table.at(-1)).toMatch(/^\| \*\*total\*\* \| \*\*\$\d/);
    expect(ALARMS_BEYOND_FUNCTIONS).toBeGreaterThan(0);
  });
});
