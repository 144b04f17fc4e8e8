// Where a CPU profile's time goes, by stage of the command path: `node --cpu-prof` writes
// .cpuprofile files (bench:http with BENCH_CPU_PROF=1); this sums self time by what the code is.
// Native frames and Node internals (a socket write, a microtask run) count for the nearest caller
// that belongs to a stage of ours or to a library (pg's query submission, Fastify's reply, pino's
// write), so "Node http" is what no library asked for. Only samples of the last `--last=<s>`
// seconds count when given (the measured step, not start-up); `--commands=<n>` adds CPU time per
// command. Samples are wall-clock: on a loaded machine a busy frame also counts while the process
// waits for a core, so the shares are what to compare, and `--cpu-ms=<ms>` (the process's CPU
// time per command from /proc, which bench:http prints) turns them into CPU ms per command.
// Run: npx tsx scripts/bench/profile-summary.ts <file.cpuprofile> [--last=15] [--commands=3000] [--cpu-ms=5.3]
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface Profile { nodes: Node[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] }

const IDLE = 'idle (waiting on I/O)';
const STAGES: [string, RegExp][] = [
  [IDLE, /^\(idle\)$/],
  ['module loading (start-up, tsx)', /node:internal\/modules\/|node:internal\/bootstrap|\/tsx\/dist\/|esbuild/],
  ['garbage collection', /^\(garbage collector\)$/],
  ['logging (pino)', /node_modules\/(pino|sonic-boom|thread-stream|pino-std-serializers)\//],
  ['validation (zod)', /node_modules\/zod\//],
  ['serialise (fast-json-stringify, JSON)', /node_modules\/fast-json-stringify\//],
  ['metrics and tracing (prom-client, OpenTelemetry)', /node_modules\/(prom-client|@opentelemetry)\/|packages\/runtime\//],
  ['HTTP framework (fastify, routing, helmet, cors)', /node_modules\/(fastify|find-my-way|avvio|@fastify|fastify-plugin|light-my-request|fast-querystring|helmet|fast-uri|secure-json-parse|fastify-type-provider-zod|toad-cache|process-warning|abstract-logging)/],
  ['rate limit and Redis (ioredis)', /node_modules\/(ioredis|redis-parser|cluster-key-slot|denque|standard-as-callback|@ioredis)\/|services\/api\/src\/plugins\/rate/],
  ['PostgreSQL client (pg)', /node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+|pgpass|buffer-writer|packet-reader)\//],
  ['SQL builder (kysely)', /node_modules\/kysely\//],
  ['auth (API key lookup and cache)', /services\/api\/src\/auth\//],
  ['load/fold, decide (domain, state cache)', /packages\/domain\//],
  ['append, read (event store client, sealing)', /packages\/eventstore\//],
  ['command handling (API: scope, idempotency, response)', /services\/api\/src\/commands\//],
  ['API other (hooks, problems)', /services\/api\//],
  ['projector', /(services\/projector|packages\/projections)\//],
  ['worker and BullMQ', /(services\/worker|node_modules\/bullmq)\//],
  ['uuid, crypto', /node_modules\/uuid\//],
];
const NODE_INTERNAL = 'Node internals (http, net, streams, timers, crypto)';
const isNodeInternal = (url: string) => url === '' || url.startsWith('node:') || /^internal\//.test(url);

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const opt = (name: string) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? NaN);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [--last=<seconds>] [--commands=<n>]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const own = (n: Node): string | undefined => {
  const { functionName, url } = n.callFrame;
  const key = url || functionName;
  return STAGES.find(([, re]) => re.test(key))?.[0];
};
const stageCache = new Map<number, string>();
/** A frame's stage: its own, else (native or Node internal) its nearest caller's that has one. */
function stageOf(n: Node): string {
  const cached = stageCache.get(n.id);
  if (cached) return cached;
  let stage = own(n);
  if (!stage && isNodeInternal(n.callFrame.url)) {
    for (let p = parent.get(n.id); p !== undefined && !stage; p = parent.get(p)) {
      const pn = byId.get(p)!;
      if (pn.callFrame.functionName === '(root)') break;
      stage = own(pn);
      if (!stage && !isNodeInternal(pn.callFrame.url)) stage = 'other JavaScript';
    }
    stage ??= NODE_INTERNAL;
  }
  stage ??= 'other JavaScript';
  stageCache.set(n.id, stage);
  return stage;
}

// Sample counts per node, from the sample timeline when a window is asked (else hitCount).
const hits = new Map<number, number>();
const last = opt('last');
if (Number.isFinite(last) && profile.samples && profile.timeDeltas) {
  let t = profile.startTime;
  const from = profile.endTime - last * 1e6;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas![i] ?? 0;
    if (t >= from) hits.set(id, (hits.get(id) ?? 0) + 1);
  });
} else for (const n of profile.nodes) if (n.hitCount) hits.set(n.id, n.hitCount);

const total = [...hits.values()].reduce((a, b) => a + b, 0);
const span = Number.isFinite(last) ? last : (profile.endTime - profile.startTime) / 1e6;
const msPerSample = (span * 1000) / Math.max(1, total);
const byStage = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, h] of hits) {
  const n = byId.get(id)!;
  byStage.set(stageOf(n), (byStage.get(stageOf(n)) ?? 0) + h);
  const { functionName, url, lineNumber } = n.callFrame;
  const fn = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/(packages|services|scripts)\//, '$1/')}:${lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + h);
}
const commands = opt('commands');
const cpuMs = opt('cpu-ms');
const STARTUP = 'module loading (start-up, tsx)';
// Busy: neither idle nor loading modules at start-up (the command path's own work).
const busy = total - (byStage.get(IDLE) ?? 0) - (byStage.get(STARTUP) ?? 0);
const pct = (n: number) => `${((100 * n) / total).toFixed(1)}%`;
const pctBusy = (n: number) => `${((100 * n) / busy).toFixed(1)}%`;
const wallPerCommand = (n: number) => (Number.isFinite(commands) ? ` | ${((n * msPerSample) / commands).toFixed(3)}` : '');
const cpuPerCommand = (n: number) => (Number.isFinite(cpuMs) ? ` | ${((n / busy) * cpuMs).toFixed(3)}` : '');
console.log(`${file}: ${span.toFixed(1)} s, ${total} samples (${msPerSample.toFixed(2)} ms each)${Number.isFinite(commands) ? `, ${commands} commands` : ''}`);
console.log(
  `| stage | share of samples | share of busy samples${Number.isFinite(commands) ? ' | sampled ms per command' : ''}${Number.isFinite(cpuMs) ? ' | CPU ms per command' : ''} |\n` +
    `|---|---:|---:|${Number.isFinite(commands) ? '---:|' : ''}${Number.isFinite(cpuMs) ? '---:|' : ''}`,
);
for (const [s, n] of [...byStage.entries()].sort((a, b) => b[1] - a[1])) {
  const own = s !== IDLE && s !== STARTUP;
  console.log(`| ${s} | ${pct(n)} | ${own ? pctBusy(n) : ''}${own ? wallPerCommand(n) : Number.isFinite(commands) ? ' | ' : ''}${own ? cpuPerCommand(n) : Number.isFinite(cpuMs) ? ' | ' : ''} |`);
}
console.log(`| busy (all but idle and start-up) | ${pct(busy)} | 100%${wallPerCommand(busy)}${cpuPerCommand(busy)} |`);
console.log('\ntop functions (self):');
for (const [f, n] of [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.BENCH_TOP ?? 25))) console.log(`${pct(n).padStart(6)}  ${f}`);
