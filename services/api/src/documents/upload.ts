// Receiving a multipart upload: the fields come first (what the document is attached to), then
// one part named `file`, streamed through the type sniffer, a meter (size, sha256, the text
// check) and into the object store; nothing is buffered whole. A refused file leaves no object.
import { createHash } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';
import type { MultipartFile, Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { z } from 'zod';
import { HttpProblem } from '../http/problem';
import { emptyFile, judgeContent, normalizeMediaType, textChecker, tooLarge } from './content';
import type { DocumentStore } from '@convene/object-store';

/** How much of the file the sniffer reads first (OOXML kinds show in the zip's first entries). */
const SAMPLE_BYTES = 64 * 1024;

export interface ReceivedFile {
  storageKey: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

const problem = (status: number, path: string, message: string, code = 'validation_error') =>
  new HttpProblem(status, code, `${path}: ${message}`, { errors: [{ path, message }] });

/** The name as uploaded, without any folder a client put in front of it. */
function fileNameOf(part: MultipartFile): string {
  const name = (part.filename ?? '').split(/[\\/]/).pop()!.trim();
  if (!name) throw problem(400, 'body.file', 'the file part needs a file name (Content-Disposition filename)');
  if (name.length > 255) throw problem(400, 'body.file', 'the file name is longer than 255 characters');
  return name;
}

/**
 * Errors of each file part, recorded from the moment the part arrives: a body that breaks off
 * makes busboy fail the part while the route is still checking the target, before the part is read.
 */
const partErrors = new WeakMap<object, { error?: Error }>();
function watchPart(part: MultipartFile): void {
  const seen: { error?: Error } = {};
  partErrors.set(part.file, seen);
  part.file.on('error', (error: Error) => {
    seen.error ??= error;
  });
}
const brokenPart = (error: Error) => problem(400, 'body.file', `the file part is incomplete (${error.message})`);

/** Streams one file part into the store under `storageKey`; rejects (leaving nothing) when it is refused. */
export async function receiveFile(part: MultipartFile, store: DocumentStore, storageKey: string, maxBytes: number): Promise<ReceivedFile> {
  const source = part.file;
  try {
    const fileName = fileNameOf(part);
    const seen = partErrors.get(source) ?? {};
    if (seen.error) throw brokenPart(seen.error);
    // busboy may have failed and destroyed the part before it reached this route (a body read whole at once).
    if (source.errored) throw brokenPart(source.errored as Error);
    if (source.destroyed && !source.readableEnded) throw brokenPart(new Error('the part was closed'));
    // The first bytes are read (up to SAMPLE_BYTES, or the whole of a small file) and sniffed;
    // then the sample and the rest flow on as one stream. Reading through the part's async
    // iterator passes its errors (a body that breaks off, a client gone) on to the upload.
    const parts = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const head: Buffer[] = [];
    let headBytes = 0;
    let ended = false;
    while (headBytes < SAMPLE_BYTES) {
      const next = await parts.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(next.value);
      headBytes += next.value.length;
    }
    const sample = Buffer.concat(head);
    const sniffed = await fileTypeFromBuffer(sample);
    const sniffing = Readable.from((async function* () {
      if (sample.length > 0) yield sample;
      while (!ended) {
        const next = await parts.next();
        if (next.done) break;
        yield next.value;
      }
    })());
    const judged = judgeContent(normalizeMediaType(part.mimetype), sniffed?.mime);
    const hash = createHash('sha256');
    const text = judged.text ? textChecker() : undefined;
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        try {
          size += chunk.length;
          if (size > maxBytes) throw tooLarge(maxBytes);
          hash.update(chunk);
          text?.push(chunk);
          callback(null, chunk);
        } catch (error) {
          callback(error as Error);
        }
      },
      flush(callback) {
        try {
          // busboy stops at the limit and ends the part early, marking it truncated.
          if (source.truncated) throw tooLarge(maxBytes);
          if (size === 0) throw emptyFile();
          text?.end();
          callback();
        } catch (error) {
          callback(error as Error);
        }
      },
    });
    await store.put(storageKey, pipeline(sniffing, meter, () => undefined), { contentType: judged.contentType });
    return { storageKey, fileName, contentType: judged.contentType, size, sha256: hash.digest('hex') };
  } catch (error) {
    if (!source.destroyed) source.resume(); // the rest of the part is read and dropped, so the request can end
    if ((error as { message?: string }).message?.includes('terminated early') || (error as { message?: string }).message?.includes('Unexpected end')) throw brokenPart(error as Error);
    if (source.truncated || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    throw error;
  }
}

/** Multipart limits beyond the file size: a few short fields and one file. */
export const multipartLimits = (maxBytes: number) => ({ fileSize: maxBytes, files: 1, fields: 8, fieldSize: 4096, parts: 10, headerPairs: 50 });

/** The multipart plugin's own refusals as problems naming the body. */
export function multipartProblem(error: unknown, maxBytes: number): unknown {
  const code = (error as { code?: string } | null)?.code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(maxBytes);
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return problem(413, 'body', 'too many parts: a few fields and one file part named `file`', 'too_many_parts');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return notMultipart();
    case 'FST_PROTO_VIOLATION':
      return problem(400, 'body', 'a field name is not allowed');
    default:
      if (error instanceof Error && /multipart|Unexpected end of form|Malformed/i.test(error.message) && !(error instanceof HttpProblem)) {
        return problem(400, 'body', `malformed multipart body: ${error.message}`);
      }
      return error;
  }
}

export const notMultipart = () =>
  new HttpProblem(415, 'multipart_required', 'headers.content-type: an upload is multipart/form-data with a part named file', {
    errors: [{ path: 'headers.content-type', message: 'Expected multipart/form-data' }],
  });

/** Refuses a request whose Content-Length alone is over the limit, before reading it. */
export function assertDeclaredLength(request: FastifyRequest, maxBytes: number): void {
  const length = Number(request.headers['content-length']);
  // Room for the fields and the part headers around the file.
  if (Number.isFinite(length) && length > maxBytes + 64 * 1024) throw tooLarge(maxBytes);
}

/** Reads the parts: fields until the file part, which `onFile` receives with the fields parsed by `fields`. */
export async function readUpload<F, R>(
  request: FastifyRequest,
  fields: z.ZodType<F>,
  onFile: (input: F, part: MultipartFile) => Promise<R>,
): Promise<R> {
  const raw: Record<string, string> = {};
  let received: { value: R } | undefined;
  for await (const part of request.parts() as AsyncIterableIterator<Multipart>) {
    if (part.type === 'field') {
      if (received) throw problem(400, `body.${part.fieldname}`, 'fields must come before the file part');
      if (part.fieldname in raw) throw problem(400, `body.${part.fieldname}`, 'given twice');
      if (part.valueTruncated) throw problem(400, `body.${part.fieldname}`, 'too long');
      raw[part.fieldname] = String(part.value);
      continue;
    }
    if (part.fieldname !== 'file' || received) {
      part.file.resume();
      throw problem(400, `body.${part.fieldname}`, received ? 'only one file per upload' : 'the file part is named `file`');
    }
    watchPart(part);
    const parsed = fields.safeParse(raw);
    if (!parsed.success) {
      part.file.resume();
      const errors = parsed.error.issues.flatMap((i) =>
        i.code === 'unrecognized_keys' ? i.keys.map((k) => ({ path: `body.${k}`, message: `Unknown field ${k}` })) : [{ path: ['body', ...i.path].join('.'), message: i.message }],
      );
      throw new HttpProblem(400, 'validation_error', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
    }
    received = { value: await onFile(parsed.data, part) };
  }
  if (!received) throw problem(400, 'body.file', 'an upload needs a file part named `file`');
  return received.value;
}
