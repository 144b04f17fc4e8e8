import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';

/**
 * migrations/ at the repository root, found from this file so it works from any cwd: the nearest
 * ancestor folder holding it (three levels up from the sources, packages/db/src; one or two from
 * the build, dist/ and dist/chunks/). CONVENE_MIGRATIONS_DIR overrides.
 */
export const defaultMigrationsFolder = ((here: string) => {
  if (process.env.CONVENE_MIGRATIONS_DIR) return path.resolve(process.env.CONVENE_MIGRATIONS_DIR);
  for (let dir = here, up = 0; up < 5; dir = path.dirname(dir), up++) {
    const candidate = path.join(dir, 'migrations');
    if (existsSync(path.join(candidate, '0001_event_store.sql'))) return candidate;
  }
  return path.resolve(here, '../../../migrations');
})(path.dirname(fileURLToPath(import.meta.url)));

/**
 * Plain SQL files, applied in name order. They are frozen in time: no application code, no typed
 * handle. Kysely's Migrator runs each in a transaction under its migration lock, records it in
 * kysely_migration, and refuses to run when the database holds a migration this code lacks.
 */
export class SqlFolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.folder)).filter((f) => f.endsWith('.sql')).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const text = await readFile(path.join(this.folder, file), 'utf8');
      migrations[file.replace(/\.sql$/, '')] = {
        // No parameters: pg sends it with the simple protocol, so a file may hold many statements.
        up: async (db: Kysely<unknown>) => {
          await sql.raw(text).execute(db);
        },
      };
    }
    return migrations;
  }
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly results: MigrationResultSet['results'],
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Applies every pending migration; throws MigrationError (and applies nothing) when the database is ahead. */
export async function migrateToLatest(
  db: Kysely<any>,
  folder: string = defaultMigrationsFolder,
): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new SqlFolderMigrationProvider(folder) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const ahead = /missing/i.test(detail);
    throw new MigrationError(
      ahead
        ? `refusing to start: the database is ahead of this code (${detail})`
        : `migration failed: ${detail}`,
      results,
      error,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
