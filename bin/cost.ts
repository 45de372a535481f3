// `npm run cost`: the monthly cost table of docs/DEPLOY.md, from infra/cost-model.ts — list prices
// (dated, marked confirmed or not), the benchmarks' per-unit figures and the usage assumptions —
// for the CDK app's default deployment and this process's app settings (tick, board size).
import { FULL_CHECK_MS } from '../web/sync/board-sync.ts';
import { processConfig } from '../core/process-config.ts';
import { DEFAULTS } from '../infra/settings.ts';
import { ASSUMED, MEASURED, PRICES, costTable, estimate, monthScenario, rplace2022Scenario, usd, type AppBehaviour } from '../infra/cost-model.ts';

const config = await processConfig();
const app: AppBehaviour = { board: config.board, tickMs: config.socket.tickMs, onlineIntervalMs: config.socket.onlineIntervalMs, checkIntervalMs: FULL_CHECK_MS };
const months = [1_000, 100_000, 1_000_000, 10_000_000].map((users) => estimate(monthScenario(users, DEFAULTS), app));
const event = estimate(rplace2022Scenario(DEFAULTS), app);

const out: string[] = [];
out.push('Monthly cost (USD, on demand, us-east-1 list prices; the CDK app\'s default deployment)', '');
out.push(costTable(months), '');
out.push('An r/place-2022-size event (10 M participants, 1,640 px/s at the peak, 83 hours)', '');
out.push(costTable([event]), '');
for (const e of [...months, event]) {
  out.push(`- ${e.scenario.name}, ${usd(e.total)}: ${e.items.map((i) => `${i.item}: ${i.note}`).join('; ')}`);
}
const warnings = [...months, event].flatMap((e) => e.warnings);
if (warnings.length) out.push('', 'Warnings:', ...warnings.map((w) => `- ${w}`));
out.push('', `Assumed: ${Object.entries(ASSUMED).map(([k, v]) => `${k}=${v}`).join(', ')}`);
out.push(`Measured (docs/PERFORMANCE.md): ${MEASURED.clientsPerVcpu.low}–${MEASURED.clientsPerVcpu.high} clients a vCPU at 1,000 px/s; Redis CPU ${MEASURED.redisCpuMsPerWrite} ms a write; a frame ${MEASURED.frameHeaderBytes} + ${MEASURED.pixelBytes}·n bytes`);
out.push('', 'Prices:');
for (const [name, p] of Object.entries(PRICES)) out.push(`- ${name}: $${p.usd} per ${p.per} — ${p.status} (${p.source})`);
console.log(out.join('\n'));
