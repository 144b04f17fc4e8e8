// Append throughput, side by side in one run on one PostgreSQL: Convene's event store, Emmett's
// PostgreSQL event store, and the physical limit (plain INSERT transactions, COPY).
// Run: npm run bench:append   (BENCH_DATABASE_URL=... to choose the server; SCALE=2 for longer runs)
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { createDb, createPool, migrateToLatest } from '@convene/db';
import { createEventStore } from '@convene/eventstore';
import { benchServer, freshDatabase, machineDescription, runConcurrent, writeBenchmarkSection } from './lib';
import { connectionBudget } from './pg-budget';

const scale = Number(process.env.SCALE ?? 1);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const meta = { actorId: 'bench', actorRole: 'admin', correlationId: randomUUID() };
// A realistic event: one agency's monthly counts.
const data = (i: number) => ({
  collaborativeId: '0190f7a4-6c1b-7000-8000-000000000001',
  agencyId: '0190f7a4-6c1b-7000-8000-000000000002',
  month: '2026-03',
  counts: { admissions: 40 + (i % 7), intakeScheduled: 60, intakeNoShows: 12, firstPostAdmissionScheduled: 38, firstPostAdmissionNoShows: 9, admittedInWindow: 35, retained30: 24, retained60: 18, clientsTreated: 33, totalDaysToTreatment: 412 },
});
const TYPE = 'MonthlyMeasuresRecorded';

type Row = { scenario: string; convene: number; conveneSingle: number; emmett: number; insert: number; copy?: number };

async function main() {
  const { adminUrl, embedded } = await benchServer();
  const machine = await machineDescription(adminUrl);
  const conveneDb = await freshDatabase(adminUrl, 'convene_bench_store');
  const emmettDb = await freshDatabase(adminUrl, 'convene_bench_emmett');
  const plainDb = await freshDatabase(adminUrl, 'convene_bench_plain');

  const pools: pg.Pool[] = [];
  const pool = (url: string, max: number) => {
    const p = createPool({ connectionString: url, max });
    pools.push(p);
    return p;
  };

  const admin = pool(adminUrl, 1);
  const migrateDb = createDb(pool(conveneDb.url, 1));
  await migrateToLatest(migrateDb);

  const plainSetup = pool(plainDb.url, 1);
  await plainSetup.query(`CREATE TABLE events_plain (
    global_position bigserial PRIMARY KEY, stream_id text NOT NULL, stream_type text NOT NULL,
    stream_version integer NOT NULL, event_id uuid NOT NULL UNIQUE, event_type text NOT NULL,
    schema_version integer NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, stream_version))`);

  const rows: Row[] = [];
  let run = 0;

  async function scenario(label: string, wanted: number, batch: number, total: number) {
    run += 1;
    const r = run;
    // Three pools (Convene, Emmett, plain) of one connection per writer must fit in what the server
    // has free now (other clients may be connected): fewer writers, said in the label, rather than
    // "too many clients" half-way.
    const free = await connectionBudget(admin);
    const concurrency = Math.max(1, Math.min(wanted, Math.floor((free - 2) / 3)));
    if (concurrency < wanted) label = `${label.replace(`${wanted} connection`, `${concurrency} connection`)} (${wanted} wanted; ${free} connections free)`;
    const convenePool = pool(conveneDb.url, concurrency);
    const convene = createEventStore({ pool: convenePool });
    // The same store with group commit off: every append is its own transaction.
    const conveneSingle = createEventStore({ pool: convenePool, groupCommit: false });
    const emmettPool = pool(emmettDb.url, concurrency);
    const emmett = getPostgreSQLEventStore(emmettDb.url, { connectionOptions: { pooled: true, pool: emmettPool, connectionString: emmettDb.url } });
    const plainPool = pool(plainDb.url, concurrency);
    const events = (i: number) => Array.from({ length: batch }, (_, k) => ({ type: TYPE, data: data(i + k) }));
    const ops = total / batch;

    // Each system appends the i-th batch of writer w; i runs on across rounds and warm-up.
    const systems: { key: keyof Omit<Row, 'scenario'>; op: (w: number, i: number) => Promise<unknown> }[] = [
      { key: 'convene', op: (w, i) => convene.appendToStream(`c${r}-${w}`, events(i), { expectedVersion: i === 0 ? 'no_stream' : i * batch, metadata: meta }) },
      { key: 'conveneSingle', op: (w, i) => conveneSingle.appendToStream(`s${r}-${w}`, events(i), { expectedVersion: i === 0 ? 'no_stream' : i * batch, metadata: meta }) },
      { key: 'emmett', op: (w, i) => emmett.appendToStream(`e${r}-${w}`, events(i), i === 0 ? {} : { expectedStreamVersion: BigInt(i * batch) }) },
      {
        key: 'insert',
        op: (w, i) => {
          const values: unknown[] = [];
          const tuples: string[] = [];
          for (let k = 0; k < batch; k++) {
            const o = values.length;
            values.push(`p${r}-${w}`, 'p', i * batch + k + 1, randomUUID(), TYPE, 1, JSON.stringify(data(i + k)), JSON.stringify(meta));
            tuples.push(`($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}, $${o + 8})`);
          }
          return plainPool.query(
            `INSERT INTO events_plain (stream_id, stream_type, stream_version, event_id, event_type, schema_version, data, metadata) VALUES ${tuples.join(',')}`,
            values,
          );
        },
      },
    ];
    if (batch > 1) {
      systems.push({
        key: 'copy',
        op: async (w, i) => {
          const client = await plainPool.connect();
          try {
            const stream = client.query(
              copyFrom('COPY events_plain (stream_id, stream_type, stream_version, event_id, event_type, schema_version, data, metadata) FROM STDIN'),
            );
            const esc = (t: string) => t.replace(/\\/g, '\\\\');
            const lines = Array.from({ length: batch }, (_, k) =>
              [`k${r}-${w}`, 'k', i * batch + k + 1, randomUUID(), TYPE, 1, esc(JSON.stringify(data(i + k))), esc(JSON.stringify(meta))].join('\t'),
            );
            await new Promise<void>((resolve, reject) => {
              stream.on('finish', resolve);
              stream.on('error', reject);
              stream.end(`${lines.join('\n')}\n`);
            });
          } finally {
            client.release();
          }
        },
      });
    }
    // Warm-up (connections, plans, Emmett's schema), then ROUNDS rounds in which every system
    // runs in turn: a slow spell of the machine then hits all of them, not one. Each system's
    // figure is the median of its rounds.
    const next = new Map(systems.map((s) => [s.key, Array.from({ length: concurrency }, () => 0)]));
    const measure = (s: (typeof systems)[number], count: number) =>
      runConcurrent(concurrency, count, async (w) => {
        const counters = next.get(s.key)!;
        const i = counters[w]!;
        counters[w] = i + 1;
        await s.op(w, i);
      });
    for (const s of systems) await measure(s, concurrency * 5);
    const rates = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of systems) rates.set(s.key, [...(rates.get(s.key) ?? []), await measure(s, ops / ROUNDS)]);
    }
    const median = (key: string) => {
      const v = [...(rates.get(key) ?? [])].sort((a, b) => a - b);
      return v.length ? v[Math.floor(v.length / 2)]! * batch : 0;
    };
    await emmett.close().catch(() => undefined);
    await convene.close();
    await conveneSingle.close();
    // Each scenario's pools close before the next opens (the server's max_connections).
    for (const p of [convenePool, emmettPool, plainPool]) await p.end().catch(() => undefined);
    const row: Row = { scenario: label, convene: median('convene'), conveneSingle: median('conveneSingle'), emmett: median('emmett'), insert: median('insert'), ...(batch > 1 ? { copy: median('copy') } : {}) };
    rows.push(row);
    console.log(JSON.stringify(row));
  }

  await scenario('1 event per append, 1 connection', 1, 1, 5000 * scale);
  await scenario('1 event per append, 8 connections', 8, 1, 20000 * scale);
  await scenario('1 event per append, 32 connections', 32, 1, 16000 * scale);
  await scenario('100-event batches, 1 connection', 1, 100, 20000 * scale);
  await scenario('100-event batches, 8 connections', 8, 100, 80000 * scale);

  const f = (n: number) => Math.round(n).toLocaleString('en-US');
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const pct = (a: number, b: number) => `${Math.round((100 * a) / b)}%`;
  const table = [
    '| scenario | Convene events/s | Convene, group commit off | Emmett events/s | plain INSERT events/s | COPY events/s | Convene ÷ Emmett | Convene ÷ INSERT | group commit off ÷ INSERT |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.scenario} | ${f(r.convene)} | ${f(r.conveneSingle)} | ${f(r.emmett)} | ${f(r.insert)} | ${r.copy ? f(r.copy) : '–'} | ${ratio(r.convene, r.emmett)} | ${pct(r.convene, r.insert)} | ${pct(r.conveneSingle, r.insert)} |`),
  ].join('\n');
  const eight = rows[1]!;
  await writeBenchmarkSection(
    'append',
    `## Append throughput (scripts/bench/append.ts)

Run on ${new Date().toISOString().slice(0, 10)}: \`npm run bench:append\`. Machine: ${machine}.
One run, the systems side by side on the same server, each in its own fresh database, each
with a pool of as many connections as concurrent writers (at most a third of the connections the
server has free when the scenario starts: max_connections minus those in use and reserved). After a warm-up, each scenario runs in
${ROUNDS} rounds, every system in turn within a round (so a slow spell of a shared machine hits all
systems alike); a figure is the median of a system's rounds. Single-event appends go to one stream
per writer with the expected version checked (Emmett: \`expectedStreamVersion\`); plain INSERT is
one autocommit INSERT of the same row shape (same unique indexes) per transaction; COPY sends each
100-row batch in one COPY. Convene is measured as shipped (group commit: concurrent appends share
a transaction and a WAL flush, each still atomic alone with its own expected version) and with
group commit off (\`groupCommit: false\`: one transaction per append, like the others).

${table}

Target (issue 2), single events at 8 connections: Convene ≥ 3× Emmett → ${ratio(eight.convene, eight.emmett)}; Convene ≥ 60% of plain INSERT → ${pct(eight.convene, eight.insert)}.`,
  );

  for (const p of pools) await p.end().catch(() => undefined);
  await migrateDb.destroy().catch(() => undefined);
  await conveneDb.drop();
  await emmettDb.drop();
  await plainDb.drop();
  await embedded?.stop();
}

await main();
