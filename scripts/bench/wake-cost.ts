// What one round trip to PostgreSQL costs in CPU, client and server backend together, when the
// trips come back to back and when each is preceded by an idle gap (issue 13). On a virtual
// machine a process that sleeps and is woken pays for it in CPU time (cold caches, the
// hypervisor's exits), so the same statement costs more at a moderate rate than at saturation:
// the reason the benchmark host is nearly saturated at half its saturation rate.
// Run: npx tsx scripts/bench/wake-cost.ts   (BENCH_DATABASE_URL; BENCH_GAPS=0,1,2,5,10 ms)
import { readFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { benchServer } from './lib';

const GAPS = (process.env.BENCH_GAPS ?? '0,1,2,5,10').split(',').map(Number);

/** CPU time of a process in µs, from /proc/<pid>/schedstat (nanoseconds on a CPU). */
const onCpuUs = (pid: number) => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;

async function main() {
  const { adminUrl, embedded } = await benchServer();
  const client = new pg.Client({ connectionString: adminUrl, application_name: 'convene-bench-wake' });
  await client.connect();
  try {
    const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    for (let i = 0; i < 500; i++) await client.query('SELECT 1'); // warm: plan cache, JIT
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}`);
    console.log('| idle gap before each trip | round trips | client CPU per trip | backend CPU per trip | together | against back to back |');
    console.log('|---:|---:|---:|---:|---:|---:|');
    let base = NaN;
    for (const gap of GAPS) {
      const trips = gap === 0 ? 5000 : Math.round(3000 / gap);
      const client0 = process.cpuUsage();
      const server0 = onCpuUs(backend);
      for (let i = 0; i < trips; i++) {
        if (gap > 0) await new Promise((r) => setTimeout(r, gap));
        await client.query('SELECT 1');
      }
      const c = process.cpuUsage(client0);
      // The client's CPU includes its timer wake-up: that is part of what a sleeping process pays.
      const clientUs = (c.user + c.system) / trips;
      const serverUs = (onCpuUs(backend) - server0) / trips;
      if (gap === 0) base = clientUs + serverUs;
      console.log(`| ${gap} ms | ${trips} | ${clientUs.toFixed(0)} µs | ${serverUs.toFixed(0)} µs | ${(clientUs + serverUs).toFixed(0)} µs | ${((clientUs + serverUs) / base).toFixed(1)}× |`);
    }
  } finally {
    await client.end();
    await embedded?.stop();
  }
}

await main();
