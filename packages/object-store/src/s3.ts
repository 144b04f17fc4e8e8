// The binder in any S3-compatible store (AWS S3, MinIO, ...): uploads stream through
// @aws-sdk/lib-storage (multipart above 5 MiB parts, aborted when the source stream fails, so no
// object appears), downloads stream the object's body.
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import { assertValidKey, type DocumentStore, type StoredObject } from './types';

export interface S3StoreOptions {
  bucket: string;
  endpoint?: string | undefined;
  region?: string | undefined;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** MinIO and most self-hosted stores need path-style URLs (http://host/bucket/key). */
  forcePathStyle?: boolean | undefined;
  /** Create the bucket on start when it is missing (MinIO in docker-compose, tests). */
  createBucket?: boolean | undefined;
}

const status = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;

export class S3DocumentStore implements DocumentStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  private readonly bucket: string;

  constructor(private readonly options: S3StoreOptions) {
    const config: S3ClientConfig = {
      region: options.region ?? 'us-east-1',
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      // Without explicit keys the SDK's default chain applies (environment, instance role).
      ...(options.accessKeyId && options.secretAccessKey ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } } : {}),
    };
    this.client = new S3Client(config);
    this.bucket = options.bucket;
  }

  async put(key: string, body: Readable, options: { contentType: string }): Promise<void> {
    assertValidKey(key);
    // The SDK does not watch the source for errors while it waits for a part to fill: a failing
    // body (size limit, content check) is turned into an abort so the upload rejects with it.
    const upload = new Upload({ client: this.client, params: { Bucket: this.bucket, Key: key, Body: body, ContentType: options.contentType } });
    let failure: unknown;
    const onError = (error: unknown) => {
      failure ??= error;
      void upload.abort().catch(() => undefined);
    };
    body.once('error', onError);
    try {
      await upload.done();
    } catch (error) {
      throw failure ?? error;
    } finally {
      body.off('error', onError);
    }
    if (failure) {
      await this.delete(key);
      throw failure;
    }
  }

  async get(key: string): Promise<StoredObject | null> {
    assertValidKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return { body: out.Body as Readable, size: Number(out.ContentLength ?? 0) };
    } catch (error) {
      if (status(error) === 404) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (status(error) !== 404 || !this.options.createBucket) throw error;
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  close(): void {
    this.client.destroy();
  }
}
