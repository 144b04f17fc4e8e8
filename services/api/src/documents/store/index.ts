// Which object store the binder uses, from the configuration: S3 when S3_BUCKET is set, else the
// local disk under DOCUMENTS_DIR (default CONVENE_DATA_DIR/documents). The stores themselves live
// in @convene/object-store, shared with the worker that stores meeting packets.
import path from 'node:path';
import { createDocumentStore as fromSettings, type DocumentStore } from '@convene/object-store';
import type { Config } from '../../config';

export function createDocumentStore(config: Config): DocumentStore {
  return fromSettings({
    dir: config.DOCUMENTS_DIR ?? path.join(config.CONVENE_DATA_DIR, 'documents'),
    s3: config.S3_BUCKET
      ? {
          bucket: config.S3_BUCKET, endpoint: config.S3_ENDPOINT, region: config.S3_REGION,
          accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY,
          forcePathStyle: config.S3_FORCE_PATH_STYLE, createBucket: config.S3_CREATE_BUCKET,
        }
      : undefined,
  });
}

export { LocalDocumentStore, S3DocumentStore, type DocumentStore, type StoredObject } from '@convene/object-store';
