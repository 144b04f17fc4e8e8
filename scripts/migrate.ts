// Applies pending migrations to DATABASE_URL (under Kysely's migration lock).
import { createDb, createPool, migrateToLatest } from '@convene/db';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const db = createDb(createPool({ connectionString: url, max: 1 }));
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date');
} finally {
  await db.destroy();
}
