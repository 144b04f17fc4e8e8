// Issue 17 (production compose): no Docker engine runs here, so the Dockerfile and
// docker-compose.yml are checked as files: what `docker compose config` and a review would catch.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  restart?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
  const services = compose.services;

  it('issue 17: every image is tagged, every long-running service has a healthcheck and a restart policy', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.image && !s.build) expect([name, /:[\w.-]+$/.test(s.image) && !s.image.endsWith(':latest')]).toEqual([name, true]);
      if (name === 'migrate') continue;
      expect([name, s.restart]).toEqual([name, 'unless-stopped']);
      expect([name, Array.isArray(s.healthcheck?.test)]).toEqual([name, true]);
    }
  });

  it('issue 17: migrations run once before the services, which wait on healthy dependencies and run the build with node', () => {
    expect(services.migrate?.command).toEqual(['node', 'dist/migrate.js']);
    expect(services.migrate?.restart).toBe('no');
    expect(services.migrate?.depends_on?.postgres?.condition).toBe('service_healthy');
    for (const name of ['api', 'projector', 'worker']) {
      const s = services[name]!;
      expect(s.command).toEqual(['node', `dist/${name}.js`]);
      expect(s.depends_on?.migrate?.condition).toBe('service_completed_successfully');
      expect(s.depends_on?.redis?.condition).toBe('service_healthy');
      expect(s.environment?.DATABASE_URL).toMatch(/^postgres:\/\//);
    }
    expect(services.worker?.depends_on?.mailpit?.condition).toBe('service_healthy');
    // The worker's own health endpoint, on its port.
    expect(services.worker?.environment?.WORKER_PORT).toBe('3001');
    expect(services.worker?.healthcheck?.test?.join(' ')).toContain('127.0.0.1:3001/health/ready');
    expect(services.projector?.healthcheck?.test?.join(' ')).toContain('127.0.0.1:3002/health/ready');
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const lines = dockerfile.split('\n');
  const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));

  it('issue 17: multi-stage on a current Node LTS, non-root, with a HEALTHCHECK, running node on the build', () => {
    const image = /ARG NODE_IMAGE=node:(\d+)-/.exec(dockerfile);
    expect(Number(image?.[1])).toBeGreaterThanOrEqual(22);
    expect(Number(image?.[1]) % 2).toBe(0); // even majors are the LTS lines
    expect(lines.filter((l) => l.startsWith('FROM ')).length).toBeGreaterThanOrEqual(3);
    expect(at(/^USER node$/)).toBeGreaterThan(at(/^FROM \$\{NODE_IMAGE\}$/));
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/api\.js"\]$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).not.toMatch(/\|\|\s*npm/);
    expect(lines.filter((l) => /^(RUN|CMD|ENTRYPOINT) /.test(l) && /tsx/.test(l))).toEqual([]);
  });

  it('issue 17: layers ordered for caching: every workspace manifest and npm ci come before the sources', () => {
    // Every workspace of package.json (npm ci needs each manifest), found on disk.
    const globs = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
    const workspaces = globs.flatMap((glob) =>
      glob.endsWith('/*')
        ? readdirSync(path.join(root, glob.slice(0, -2))).map((d) => `${glob.slice(0, -2)}/${d}`).filter((w) => existsSync(path.join(root, w, 'package.json')))
        : [glob],
    );
    expect(workspaces.length).toBeGreaterThanOrEqual(10);
    const npmCi = at(/^RUN npm ci --no-audit/);
    for (const w of workspaces) {
      const copied = at(new RegExp(`^COPY ${w}/package.json ${w}/$`));
      expect([w, copied > 0 && copied < npmCi]).toEqual([w, true]);
    }
    expect(at(/^COPY packages packages$/)).toBeGreaterThan(npmCi);
    expect(at(/^COPY services services$/)).toBeGreaterThan(npmCi);
  });
});

describe('.env.example', () => {
  it('issue 17: lists every environment variable the code reads', () => {
    const listed = new Set(read('.env.example').split('\n').flatMap((l) => /^([A-Z][A-Z0-9_]*)=/.exec(l)?.[1] ?? []));
    const read_ = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
        if (entry.name === 'node_modules' || entry.name === 'dist') continue;
        const rel = `${dir}/${entry.name}`;
        if (entry.isDirectory()) walk(rel);
        else if (rel.endsWith('.ts') && !rel.endsWith('.test.ts')) {
          const text = read(rel);
          for (const m of text.matchAll(/\benv(?:\.|\[['"])([A-Z][A-Z0-9_]+)/g)) read_.add(m[1]!);
        }
      }
    };
    for (const dir of ['packages', 'services', 'scripts']) walk(dir);
    // The API's configuration schema names its variables as keys.
    for (const m of read('services/api/src/config.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]+): z\./gm)) read_.add(m[1]!);
    expect(read_.size).toBeGreaterThan(20);
    // Benchmark knobs (BENCH_*) are documented as a family in .env.example and in scripts/bench.
    expect([...read_].filter((v) => !listed.has(v) && !v.startsWith('BENCH_')).sort()).toEqual([]);
  });
});
