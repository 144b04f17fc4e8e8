import { describe, it, expect } from '@jest/globals';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadConfig } from '../config';
import type { AppDeps } from '../app';
import { consistencyPreHandler, ConsistencyQuerySchema, waitUntilCaughtUp } from './consistency';
import { decodeCursor, encodeCursor, PageQuerySchema, toPage } from './pagination';
import { registerProblemHandlers } from './problem';

describe('cursor pagination', () => {
  const rows = Array.from({ length: 7 }, (_, i) => ({ at: `2025-01-0${i + 1}`, id: `id-${i}` }));
  const key = (r: (typeof rows)[number]) => [r.at, r.id] as const;

  it('pages through rows in a stable order without gaps or repeats', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const after = decodeCursor(cursor, 2);
      const remaining = rows.filter((r) => !after || r.at > String(after[0]) || (r.at === after[0] && r.id > String(after[1])));
      const page = toPage(remaining.slice(0, 3 + 1), 3, key);
      seen.push(...page.items.map((r) => r.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(rows.map((r) => r.id));
  });

  it('refuses a forged cursor with a 400 naming query.cursor', () => {
    expect(() => decodeCursor('not-base64-json', 2)).toThrow(expect.objectContaining({ status: 400, extra: { errors: [{ path: 'query.cursor', message: 'Invalid cursor' }] } }));
    expect(() => decodeCursor(encodeCursor(['a']), 2)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('bounds the limit', () => {
    expect(PageQuerySchema.parse({}).limit).toBe(50);
    expect(PageQuerySchema.safeParse({ limit: '500' }).success).toBe(false);
  });
});

describe('consistentWith', () => {
  it('waits until caught up', async () => {
    let position = 0;
    const done = waitUntilCaughtUp(5, { isCaughtUp: (p) => position >= p, maxWaitMs: 5000, pollMs: 1 });
    position = 5;
    expect(await done).toBe(true);
  });

  async function appWith(isCaughtUp: AppDeps['isCaughtUp']) {
    const app = Fastify().withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    const deps = { config: loadConfig({ CONSISTENCY_WAIT_MS: '30' }), ...(isCaughtUp ? { isCaughtUp } : {}) } as unknown as AppDeps;
    app.decorate('deps', deps);
    registerProblemHandlers(app);
    app.get('/q', { schema: { querystring: ConsistencyQuerySchema.extend({ x: z.string().optional() }) }, preHandler: consistencyPreHandler() }, async () => ({ ok: true }));
    await app.ready();
    return app;
  }

  it('answers 503 with Retry-After when the read models stay behind', async () => {
    const app = await appWith(() => false);
    const r = await app.inject({ url: '/q?consistentWith=42' });
    expect(r.statusCode).toBe(503);
    expect(r.headers['retry-after']).toBe('1');
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await app.inject({ url: '/q' })).statusCode).toBe(200);
    await app.close();
  });

  it('answers once caught up', async () => {
    const app = await appWith((p) => p <= 42);
    expect((await app.inject({ url: '/q?consistentWith=42' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/q?consistentWith=-1' })).statusCode).toBe(400);
    await app.close();
  });

  it('a failure is a 500 problem that leaks nothing', async () => {
    const app = await appWith(() => {
      throw new Error('connection to 10.0.0.7 refused: password authentication failed');
    });
    const r = await app.inject({ url: '/q?consistentWith=1' });
    expect(r.statusCode).toBe(500);
    expect(r.json()).toMatchObject({ status: 500, code: 'internal_error', detail: 'An unexpected error occurred' });
    expect(r.body).not.toMatch(/10\.0\.0\.7|password/);
    await app.close();
  });
});
