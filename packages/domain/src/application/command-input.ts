import { createHash } from 'node:crypto';
import type { ZodError } from 'zod';
import { commandRegistry } from '../registry';
import { DomainError } from '../shared/errors';

// A command as it comes in: parsed by its schema (a validation DomainError names the field) and
// fingerprinted for idempotency (equal data, whatever the key order, gives the same fingerprint).

/** The value with object keys sorted at every depth: equal data gives equal JSON. */
export const stable = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(stable)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, stable((value as Record<string, unknown>)[k])]))
      : value;

export const commandFingerprint = (type: string, data: unknown): string =>
  createHash('sha256').update(JSON.stringify(stable({ type, data }))).digest('hex');

export const validationError = (error: ZodError): DomainError => {
  const details = error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [];
    return { field: [...issue.path, ...keys].map(String).join('.'), message: issue.message };
  });
  const first = details[0] ?? { field: '', message: 'invalid' };
  return new DomainError('validation', 'invalid_command', `${first.field || 'data'}: ${first.message}`, first.field || undefined, details);
};

/** Parse command data with its schema; throws a validation DomainError with the field path. */
export const parseCommand = (command: { type: string; data: unknown }) => {
  const entry = commandRegistry[command.type];
  if (!entry) throw new DomainError('validation', 'unknown_command', `Unknown command ${command.type}`, 'type');
  const parsed = entry.schema.safeParse(command.data);
  if (!parsed.success) throw validationError(parsed.error);
  return { entry, data: parsed.data };
};
