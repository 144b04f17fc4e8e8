import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import pg from 'pg';
import { startEmbeddedPostgres } from '@convene/db';

// Real services for tests, never mocks: from the environment where set, else the machine's own
// PostgreSQL on 127.0.0.1:5432 when it lets `postgres` in without a password (as CI's does), else
// Testcontainers where a Docker engine answers, else an embedded PostgreSQL and a redis-server
// found on PATH. The machine's server first: the restore and pooler tests drive its pg_dump and a
// PgBouncer with trust authentication, which an embedded server of another major version (and its
// password) does not match.

export interface Provisioned {
  url: string;
  source: 'env' | 'local-server' | 'testcontainers' | 'embedded' | 'local-binary';
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function dockerAvailable(): boolean {
  if (process.env.CONVENE_TEST_NO_DOCKER) return false;
  const host = process.env.DOCKER_HOST;
  if (host) return !host.startsWith('unix://') || existsSync(host.slice('unix://'.length));
  return existsSync('/var/run/docker.sock');
}

async function canConnect(port: number, timeoutMs = 200): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Whether a PostgreSQL answers at `url` and lets its user in without a password. */
async function acceptsWithoutPassword(url: string): Promise<boolean> {
  if (!(await canConnect(5432))) return false;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  // A server that asks for a password gets none (an empty one is refused by the client).
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function provisionPostgres(): Promise<Provisioned> {
  if (process.env.TEST_DATABASE_URL) {
    return { url: process.env.TEST_DATABASE_URL, source: 'env', stop: async () => undefined };
  }
  const local = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!process.env.CONVENE_TEST_NO_LOCAL_SERVER && (await acceptsWithoutPassword(local))) {
    return { url: local, source: 'local-server', stop: async () => undefined };
  }
  if (dockerAvailable()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    return { url: container.getConnectionUri(), source: 'testcontainers', stop: async () => void (await container.stop()) };
  }
  const embedded = await startEmbeddedPostgres({ port: await freePort() });
  return { ...embedded, source: 'embedded' };
}

export async function provisionRedis(): Promise<Provisioned> {
  if (process.env.TEST_REDIS_URL) {
    return { url: process.env.TEST_REDIS_URL, source: 'env', stop: async () => undefined };
  }
  if (dockerAvailable()) {
    const { GenericContainer } = await import('testcontainers');
    const container = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
    return {
      url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
      source: 'testcontainers',
      stop: async () => void (await container.stop()),
    };
  }
  const started = await startRedisServer();
  return started;
}

/** A redis-server from PATH on a free port, keeping nothing on disk. */
export async function startRedisServer(port?: number): Promise<Provisioned & { port: number; process: ChildProcess }> {
  const redisPort = port ?? (await freePort());
  const child = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const failed = new Promise<never>((_, reject) =>
    child.once('error', (e) => reject(new Error(`redis-server not found on PATH (${e.message})`))),
  );
  const deadline = Date.now() + 10_000;
  while (!(await Promise.race([canConnect(redisPort), failed]))) {
    if (Date.now() > deadline) throw new Error('redis-server did not start in 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${redisPort}`,
    source: 'local-binary',
    port: redisPort,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
