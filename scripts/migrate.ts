// Applies pending migrations (under Kysely's migration lock) to DATABASE_URL, else to the
// embedded PostgreSQL of `npm start` (found running, or started for the command).
import { createDb, createPool, migrateToLatest, resolveDatabase } from '@convene/db';

const database = await resolveDatabase({ migrateEmbedded: false });
const db = createDb(createPool({ connectionString: database.url, max: 1 }));
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date');
} finally {
  await db.destroy();
  await database.close();
}
