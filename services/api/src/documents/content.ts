// What the binder accepts, judged by content, not by name: the declared type (the part's
// Content-Type) must be on the allow-list and agree with the magic number file-type reads from
// the first bytes. Plain text and CSV have no magic number: they are accepted when nothing binary
// is recognised and the whole file is UTF-8 without control characters (checked while streaming).
import { HttpProblem } from '../http/problem';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const TEXT_TYPES = new Set(['text/plain', 'text/csv']);
const OOXML = new Set([DOCX, XLSX, PPTX]);

/** Agendas, handouts, slides, reports, flowcharts, roadmaps, data: the types a binder holds. */
export const ALLOWED_DOCUMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp', DOCX, XLSX, PPTX, ...TEXT_TYPES] as const;
const allowed = new Set<string>(ALLOWED_DOCUMENT_TYPES);

const FILE = 'body.file';
const refuse = (status: number, code: string, message: string) => new HttpProblem(status, code, `${FILE}: ${message}`, { errors: [{ path: FILE, message }] });

/** `Text/CSV; charset=utf-8` -> `text/csv`. */
export const normalizeMediaType = (value: string | undefined): string => (value ?? '').split(';')[0]!.trim().toLowerCase();

export interface Judged {
  /** The type stored and served. */
  contentType: string;
  /** The whole stream must pass the text check. */
  text: boolean;
}

/** The declared type against what the first bytes show; a 415 problem naming body.file when they disagree. */
export function judgeContent(declared: string, sniffed: string | undefined): Judged {
  if (!allowed.has(declared)) {
    throw refuse(415, 'unsupported_document_type', `${declared || 'no type'} is not accepted (accepted: ${ALLOWED_DOCUMENT_TYPES.join(', ')})`);
  }
  if (sniffed === undefined) {
    if (TEXT_TYPES.has(declared)) return { contentType: declared, text: true };
    throw refuse(415, 'content_type_mismatch', `declared ${declared}, but the content is not ${declared}`);
  }
  // An Office file is a zip; file-type names its kind when the zip's first entries show it.
  if (sniffed === declared || (sniffed === 'application/zip' && OOXML.has(declared))) return { contentType: declared, text: false };
  throw refuse(415, 'content_type_mismatch', `declared ${declared}, but the content is ${sniffed}`);
}

/** C0 controls other than tab, line feed, form feed and carriage return, and DEL. */
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

/** Checks text chunk by chunk (a UTF-8 sequence may span chunks); throws the 415 problem on the first bad byte. */
export function textChecker() {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const check = (text: string) => {
    if (CONTROL.test(text)) throw refuse(415, 'content_type_mismatch', 'declared as text, but the content holds binary (control) bytes');
  };
  const decode = (bytes?: Uint8Array) => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw refuse(415, 'content_type_mismatch', 'declared as text, but the content is not UTF-8');
    }
  };
  return {
    push: (chunk: Uint8Array) => check(decode(chunk)),
    end: () => check(decode()),
  };
}

export const tooLarge = (maxBytes: number) => refuse(413, 'document_too_large', `the file is larger than ${maxBytes} bytes (DOCUMENT_MAX_BYTES)`);
export const emptyFile = () => refuse(400, 'validation_error', 'the file is empty');
