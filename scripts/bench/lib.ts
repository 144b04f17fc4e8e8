import { execSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { resolveDatabase, type EmbeddedPostgres } from '@convene/db';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A PostgreSQL server to benchmark on: BENCH_DATABASE_URL, else the local 5432, else the embedded
 * PostgreSQL of `npm start` (found running, or started for the run and stopped by `embedded.stop()`).
 */
export async function benchServer(): Promise<{ adminUrl: string; embedded?: Pick<EmbeddedPostgres, 'stop'> }> {
  const candidates = [process.env.BENCH_DATABASE_URL, 'postgres://postgres@127.0.0.1:5432/postgres'].filter(Boolean) as string[];
  for (const url of candidates) {
    const c = new pg.Client({ connectionString: url });
    try {
      await c.connect();
      await c.end();
      return { adminUrl: url };
    } catch {
      await c.end().catch(() => undefined);
    }
  }
  const database = await resolveDatabase({ database: 'postgres', migrateEmbedded: false });
  return { adminUrl: database.url, embedded: { stop: () => database.close() } };
}

export async function freshDatabase(adminUrl: string, name: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    name,
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function machineDescription(adminUrl: string): Promise<string> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  const { rows } = await c.query<{ server_version: string }>('SHOW server_version');
  const sync = await c.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
  await c.end();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const mem = `${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  let kernel = os.release();
  try {
    kernel = execSync('uname -sr').toString().trim();
  } catch {
    // keep os.release()
  }
  return `${os.cpus().length} × ${cpu}, ${mem} RAM, ${kernel}; Node ${process.version}; PostgreSQL ${rows[0]!.server_version} (synchronous_commit=${sync.rows[0]!.synchronous_commit}) on the same machine`;
}

/** Replaces the section between `<!-- name:start -->` and `<!-- name:end -->` in docs/benchmarks.md. */
export async function writeBenchmarkSection(name: string, markdown: string): Promise<void> {
  const file = path.join(repoRoot, 'docs/benchmarks.md');
  let text = '# Benchmarks\n\nFigures written by the scripts under scripts/bench; each section says how to re-run it.\n';
  try {
    text = await readFile(file, 'utf8');
  } catch {
    // first run
  }
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const re = new RegExp(`${start}[\\s\\S]*?${end}`);
  text = re.test(text) ? text.replace(re, block) : `${text.trimEnd()}\n\n${block}\n`;
  await writeFile(file, text);
}

/** Runs `op(worker, i)` `total` times spread over `concurrency` loops; returns ops per second. */
export async function runConcurrent(concurrency: number, total: number, op: (worker: number, i: number) => Promise<void>): Promise<number> {
  const perWorker = Math.floor(total / concurrency);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; i < perWorker; i++) await op(w, i);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return (perWorker * concurrency) / seconds;
}
