// The binder's object store as a package of its own (issue 18): the API streams uploads into it and
// the worker stores the meeting packets it renders, so both open the same store from the same
// settings. S3 when `bucket` is set, else the local disk under `dir`.
import { LocalDocumentStore } from './local';
import { S3DocumentStore, type S3StoreOptions } from './s3';
import type { DocumentStore } from './types';

export interface DocumentStoreSettings {
  /** The local store's folder (used when no bucket is set). */
  dir: string;
  s3?: S3StoreOptions | undefined;
}

export function createDocumentStore(settings: DocumentStoreSettings): DocumentStore {
  return settings.s3?.bucket ? new S3DocumentStore(settings.s3) : new LocalDocumentStore(settings.dir);
}

/** The same variables the API reads (.env.example): S3_* when S3_BUCKET is set, else DOCUMENTS_DIR or CONVENE_DATA_DIR/documents. */
export function documentStoreSettingsFromEnv(env: NodeJS.ProcessEnv): DocumentStoreSettings {
  const dir = env.DOCUMENTS_DIR ?? `${env.CONVENE_DATA_DIR ?? '.data'}/documents`;
  if (!env.S3_BUCKET) return { dir };
  return {
    dir,
    s3: {
      bucket: env.S3_BUCKET, endpoint: env.S3_ENDPOINT, region: env.S3_REGION ?? 'us-east-1',
      accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true', createBucket: env.S3_CREATE_BUCKET === 'true',
    },
  };
}

export { LocalDocumentStore } from './local';
export { S3DocumentStore, type S3StoreOptions } from './s3';
export { assertValidKey, type DocumentStore, type StoredObject } from './types';
