// Where a CPU profile's time goes, by stage of the command path: `node --cpu-prof` writes
// .cpuprofile files (bench:http with BENCH_CPU_PROF=1); this sums self time by what the code is.
// Run: npx tsx scripts/bench/profile-summary.ts <file.cpuprofile>
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }

const STAGES: [string, RegExp][] = [
  ['idle (waiting on I/O)', /^\(idle\)$/],
  ['module loading (start-up, tsx)', /node:internal\/modules\/|node:internal\/bootstrap|\/tsx\/dist\/|esbuild/],
  ['garbage collection', /^\(garbage collector\)$/],
  ['logging (pino)', /node_modules\/(pino|sonic-boom|thread-stream|pino-std-serializers)\//],
  ['validation (zod)', /node_modules\/zod\//],
  ['HTTP framework (fastify, routing, serialisation, helmet, cors)', /node_modules\/(fastify|find-my-way|avvio|fast-json-stringify|@fastify|fastify-plugin|light-my-request|fast-querystring|helmet|fast-uri|secure-json-parse|fastify-type-provider-zod|toad-cache|process-warning)/],
  ['rate limit and Redis (ioredis)', /node_modules\/(ioredis|redis-parser|cluster-key-slot|denque|standard-as-callback|@ioredis)\//],
  ['PostgreSQL client (pg)', /node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+|pgpass|buffer-writer|packet-reader)\//],
  ['SQL builder (kysely)', /node_modules\/kysely\//],
  ['domain (decide, evolve, cache)', /packages\/domain\//],
  ['event store client', /packages\/eventstore\//],
  ['API auth', /services\/api\/src\/auth\//],
  ['API command handling', /services\/api\/src\/commands\//],
  ['API other', /services\/api\//],
  ['projector', /(services\/projector|packages\/projections)\//],
  ['worker and BullMQ', /(services\/worker|node_modules\/bullmq)\//],
  ['uuid, crypto', /node_modules\/uuid\/|node:crypto|internal\/crypto/],
  ['Node http, net, streams, timers', /^node:|internal\/(http|net|stream|streams|timers|process|event_target|url|async_hooks|util)|^_http|^net$|^events$/],
];

const file = process.argv[2];
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile>');
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; startTime: number; endTime: number };
const total = profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0);
const byStage = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const n of profile.nodes) {
  const hits = n.hitCount ?? 0;
  if (!hits) continue;
  const { functionName, url } = n.callFrame;
  const key = url || functionName;
  const stage = STAGES.find(([, re]) => re.test(key))?.[0] ?? (url ? 'other JavaScript' : `native: ${functionName || '(anonymous)'}`);
  byStage.set(stage, (byStage.get(stage) ?? 0) + hits);
  const fn = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/(packages|services|scripts)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
}
const pct = (n: number) => `${((100 * n) / total).toFixed(1)}%`;
console.log(`${file}: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s, ${total} samples`);
console.log('| stage | share of samples |\n|---|---:|');
for (const [s, n] of [...byStage.entries()].sort((a, b) => b[1] - a[1])) console.log(`| ${s} | ${pct(n)} |`);
console.log('\ntop functions (self):');
for (const [f, n] of [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${pct(n).padStart(6)}  ${f}`);
