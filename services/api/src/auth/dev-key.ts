// The development admin key of embedded mode (`npm start` without DATABASE_URL), issue 12.11.
// The embedded database is a local one, so a key is handy, but one per start piled up
// never-expiring admin keys: the key is kept in the data folder (mode 0600, next to the embedded
// database, git-ignored) and reused while it is still active; a revoked or lost one is replaced.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { createApiKey, findActiveKey } from './keys';

export const DEV_KEY_FILE = 'development-admin-key';

export async function ensureDevelopmentAdminKey(pool: pg.Pool, dataDir: string): Promise<{ key: string; created: boolean }> {
  const file = path.join(dataDir, DEV_KEY_FILE);
  const stored = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (stored) {
    const principal = await findActiveKey(pool, stored);
    if (principal?.role === 'admin' && principal.collaborativeIds === null) return { key: stored, created: false };
  }
  const { key } = await createApiKey(pool, { name: 'development admin', role: 'admin' });
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return { key, created: true };
}
