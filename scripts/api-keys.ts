// API keys: `npm run api-keys -- create --role <role> --name <name> [--collaborative <id>]... [--agency <id>]... [--actor <uuid>]`,
// `npm run api-keys -- revoke <keyId>`, `npm run api-keys -- list`. Uses DATABASE_URL, else the
// embedded PostgreSQL of `npm start` (found running, or started for the command). The key is
// printed once, on creation; only its sha256 is stored.
import { parseArgs } from 'node:util';
import { createPool, resolveDatabase } from '@convene/db';
import { createApiKey, listApiKeys, revokeApiKey, RoleSchema } from '@convene/api';

const [command, ...rest] = process.argv.slice(2);
const database = await resolveDatabase();
const pool = createPool({ connectionString: database.url, max: 1, applicationName: 'convene-api-keys' });
try {
  if (command === 'create') {
    const { values } = parseArgs({
      args: rest,
      options: {
        role: { type: 'string' },
        name: { type: 'string' },
        actor: { type: 'string' },
        collaborative: { type: 'string', multiple: true },
        agency: { type: 'string', multiple: true },
      },
    });
    const role = RoleSchema.parse(values.role);
    const { key, record } = await createApiKey(pool, {
      name: values.name ?? `${role} key`,
      role,
      ...(values.actor ? { actorId: values.actor } : {}),
      collaborativeIds: values.collaborative?.length ? values.collaborative : null,
      agencyIds: values.agency ?? [],
    });
    console.log(JSON.stringify({ keyId: record.keyId, role: record.role, key }, null, 2));
    console.log('Store the key now: it is not shown again.');
  } else if (command === 'revoke' && rest[0]) {
    const revoked = await revokeApiKey(pool, rest[0]);
    console.log(revoked ? `revoked ${rest[0]}` : `no active key ${rest[0]}`);
    if (!revoked) process.exitCode = 1;
  } else if (command === 'list') {
    for (const k of await listApiKeys(pool)) {
      console.log(
        [k.keyId, k.role, k.name, k.collaborativeIds?.join(',') ?? '*', k.agencyIds.join(',') || '-', k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active'].join('\t'),
      );
    }
  } else {
    console.error('usage: api-keys create --role <admin|coach|agency|analyst|auditor> --name <name> [--collaborative <id>]... [--agency <id>]... | revoke <keyId> | list');
    process.exitCode = 2;
  }
} finally {
  await pool.end();
  await database.close();
}
