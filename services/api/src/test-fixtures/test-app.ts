// Tests only: the API on a fresh migrated database, with a settable command clock.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalDocumentStore } from '@convene/object-store';
import { createEventStore, type EventStore } from '@convene/eventstore';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../app';
import { loadConfig } from '../config';
import { createApiKey, type CreateApiKeyInput } from '../auth/keys';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  eventStore: EventStore;
  /** The command clock; set `clock.now` to move time. */
  clock: { now: Date };
  /** Encrypts this app's webhook secrets (give it to startWebhookDeliveries). */
  webhookSecretKey: Buffer;
  /** A convener-wide admin key. */
  adminKey: string;
  createKey(input: CreateApiKeyInput): Promise<string>;
  close(): Promise<void>;
}

export async function createTestApp(overrides: Partial<AppDeps> = {}, env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const eventStore = createEventStore({ pool: database.pool });
  const clock = { now: new Date('2025-01-06T09:00:00.000Z') };
  const config = loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000', AUTH_FAILURES_PER_MINUTE: '100000', ...env });
  const webhookSecretKey = randomBytes(32);
  // The binder's files go to a temporary folder of this test (never the checkout's .data).
  const documentsDir = mkdtempSync(path.join(tmpdir(), 'convene-test-docs-'));
  const app = await buildApp({
    config,
    pool: database.pool,
    db: database.db,
    eventStore,
    clock: () => clock.now,
    webhookSecretKey,
    documentStore: new LocalDocumentStore(documentsDir),
    ...overrides,
  });
  await app.ready();
  const createKey = async (input: CreateApiKeyInput) => (await createApiKey(database.pool, input)).key;
  const adminKey = await createKey({ name: 'test admin', role: 'admin' });
  return {
    app,
    database,
    eventStore,
    clock,
    webhookSecretKey,
    adminKey,
    createKey,
    async close() {
      await app.close();
      await eventStore.close();
      await database.drop();
      rmSync(documentsDir, { recursive: true, force: true });
    },
  };
}
