export type DomainErrorKind = 'validation' | 'not_found' | 'conflict' | 'forbidden' | 'unprocessable';

/** A refused command. `kind` carries the HTTP meaning; `code` is snake_case; `field` is a path in the command data. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Every problem found (validation): field path and message. */
    readonly details?: { field: string; message: string }[],
  ) {
    super(message);
  }
}

export const notFound = (code: string, message: string): never => {
  throw new DomainError('not_found', code, message);
};
export const conflict = (code: string, message: string, field?: string): never => {
  throw new DomainError('conflict', code, message, field);
};
export const unprocessable = (code: string, message: string, field?: string): never => {
  throw new DomainError('unprocessable', code, message, field);
};

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
