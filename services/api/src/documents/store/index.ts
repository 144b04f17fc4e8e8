// Which object store the binder uses, from the configuration: S3 when S3_BUCKET is set, else the
// local disk under DOCUMENTS_DIR (default CONVENE_DATA_DIR/documents).
import path from 'node:path';
import type { Config } from '../../config';
import { LocalDocumentStore } from './local';
import { S3DocumentStore } from './s3';
import type { DocumentStore } from './types';

export function createDocumentStore(config: Config): DocumentStore {
  if (config.S3_BUCKET) {
    return new S3DocumentStore({
      bucket: config.S3_BUCKET,
      endpoint: config.S3_ENDPOINT,
      region: config.S3_REGION,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      createBucket: config.S3_CREATE_BUCKET,
    });
  }
  return new LocalDocumentStore(config.DOCUMENTS_DIR ?? path.join(config.CONVENE_DATA_DIR, 'documents'));
}

export { LocalDocumentStore } from './local';
export { S3DocumentStore } from './s3';
export type { DocumentStore, StoredObject } from './types';
