// The load of command-cost.ts, in its own process so that the client's CPU is not counted as the
// API's: commands of the realistic mix (http-load.ts's Mix, 25% with an Idempotency-Key),
// at most `concurrency` in flight, paced at `rate` commands/s (0: as fast as answered), in runs of
// the given sizes, one mix throughout
// (months and PDSA cycles go on in order). Spawned with an IPC channel: before each run it waits
// for a message, after it sends { result }. argv: <world.json> <origin> <concurrency> <rate> <run size>...
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { httpClient, IDEMPOTENT_SHARE, Mix } from './http-load';
import type { World } from './http-seed';

const [worldFile, origin, concurrencyText, rateText, ...runs] = process.argv.slice(2);
const rate = Number(rateText);
const world = JSON.parse(readFileSync(worldFile!, 'utf8')) as World;
const concurrency = Number(concurrencyText);
const client = httpClient(origin!);
const mix = new Mix(world);

async function run(total: number) {
  let sent = 0;
  let ok = 0;
  let failed = 0;
  const statuses: Record<string, number> = {};
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < total) {
        const n = sent++;
        // Paced: request n is due n/rate seconds after the start (a fixed rate, the warm-up too, keeps the costs that
        // depend on time, such as cache expiries and coalesced notifications, comparable).
        const wait = rate > 0 ? started + (n * 1000) / rate - performance.now() : 0;
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const req = mix.next();
        const headers: Record<string, string> = { authorization: `Bearer ${req.key}`, 'content-type': 'application/json' };
        if ((n * 0.7548776662466927) % 1 < IDEMPOTENT_SHARE) headers['idempotency-key'] = randomUUID();
        const status = await client
          .request({ method: req.method, path: req.path, headers, body: JSON.stringify(req.body) })
          .then(async (res) => (await res.body.text(), res.statusCode))
          .catch(() => 0);
        statuses[status] = (statuses[status] ?? 0) + 1;
        const good = status >= 200 && status < 300;
        mix.done(req, good);
        if (good) ok++;
        else failed++;
      }
    }),
  );
  return { ok, failed, seconds: (performance.now() - started) / 1000, statuses };
}

for (const size of runs) {
  await new Promise((resolve) => process.once('message', resolve));
  const result = await run(Number(size));
  await new Promise((resolve) => process.send!({ result }, resolve));
}
await client.close();
process.exit(0);
