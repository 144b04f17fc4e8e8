import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { ensureDevelopmentAdminKey } from './dev-key';
import { findActiveKey, listApiKeys, revokeApiKey } from './keys';

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'convene-devkey-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

describe('embedded-mode development admin key', () => {
  it('issue 12.11: every start reuses the one active key; a revoked key is replaced once', async () => {
    const first = await ensureDevelopmentAdminKey(db.pool, dir);
    const second = await ensureDevelopmentAdminKey(db.pool, dir);
    const third = await ensureDevelopmentAdminKey(db.pool, dir);
    expect(first.created).toBe(true);
    expect([second, third]).toEqual([{ key: first.key, created: false }, { key: first.key, created: false }]);
    expect((await listApiKeys(db.pool)).filter((k) => k.role === 'admin')).toHaveLength(1);
    expect((await stat(path.join(dir, 'development-admin-key'))).mode & 0o777).toBe(0o600);

    const principal = await findActiveKey(db.pool, first.key);
    await revokeApiKey(db.pool, principal!.keyId);
    const replaced = await ensureDevelopmentAdminKey(db.pool, dir);
    expect(replaced.created).toBe(true);
    expect(replaced.key).not.toBe(first.key);
    expect(await ensureDevelopmentAdminKey(db.pool, dir)).toEqual({ key: replaced.key, created: false });
    expect((await listApiKeys(db.pool)).filter((k) => k.revokedAt === null)).toHaveLength(1);
  });
});
