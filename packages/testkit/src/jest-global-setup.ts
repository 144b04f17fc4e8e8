import { provisionPostgres, provisionRedis, type Provisioned } from './provision';

// Runs once per Jest run, before the workers start; workers inherit the URLs it sets.
export default async function setup(): Promise<void> {
  const started: Provisioned[] = [];
  const postgres = await provisionPostgres();
  started.push(postgres);
  process.env.TEST_DATABASE_URL = postgres.url;
  const redis = await provisionRedis();
  started.push(redis);
  process.env.TEST_REDIS_URL = redis.url;
  (globalThis as { __conveneProvisioned?: Provisioned[] }).__conveneProvisioned = started;
  if (postgres.source !== 'env' || redis.source !== 'env') {
    console.log(`\ntest services: PostgreSQL from ${postgres.source}, Redis from ${redis.source}`);
  }
}
