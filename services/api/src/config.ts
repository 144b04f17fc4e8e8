import { z } from 'zod';

// Configuration comes from the environment only, parsed once; a bad value stops the start with
// the variable named. The logger level is chosen here, never from NODE_ENV.
const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  /** Connections of the API's pool (size it to the server's max_connections minus what else connects). */
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(20),
  /** LISTEN connects here, never through a transaction pooler; default DATABASE_URL (docs/operations.md). */
  DATABASE_DIRECT_URL: z.string().optional(),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGIN: z.string().optional(),
  /** How long an API key read from the table is trusted (a revocation elsewhere takes effect within it); 0: every request. */
  API_KEY_CACHE_MS: z.coerce.number().int().min(0).default(5000),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** Every request of one client address, before authentication (issue 12.10). */
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().positive().default(1200),
  /** Failed authentications (401) of one client address; then 429 until the minute ends. */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(30),
  CONSISTENCY_WAIT_MS: z.coerce.number().int().positive().default(3000),
  CONVENE_DATA_DIR: z.string().default('.data'),
  CONVENE_PG_PORT: z.coerce.number().int().positive().default(54329),
  /** How long an Idempotency-Key answers retries; older records are deleted (docs/personal-data.md). */
  /** Webhook receivers allowed although internal: host names and CIDRs, comma-separated (issue 12.9). */
  WEBHOOK_ALLOWED_HOSTS: z.string().optional(),
  /** 32 bytes (base64 or hex) encrypting webhook secrets at rest; required outside embedded mode. */
  WEBHOOK_SECRET_KEY: z.string().optional(),
  IDEMPOTENCY_RETENTION_HOURS: z.coerce.number().positive().max(24 * 365).default(24),
  /** Largest file the binder accepts, in bytes (docs/documents.md). */
  DOCUMENT_MAX_BYTES: z.coerce.number().int().positive().max(5 * 1024 ** 3).default(25 * 1024 * 1024),
  /** The local object store's folder (no S3_BUCKET); default CONVENE_DATA_DIR/documents. */
  DOCUMENTS_DIR: z.string().optional(),
  /** An S3-compatible object store for documents: set S3_BUCKET to use it. */
  S3_BUCKET: z.string().optional(),
  S3_ENDPOINT: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  S3_CREATE_BUCKET: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${issues}`);
  }
  return parsed.data;
}
