import { z } from 'zod';

export const uuid = z.uuid();
export const isoDate = z.iso.date();
export const isoDateTime = z.iso.datetime({ offset: true });
export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Expected a month YYYY-MM');
export const text = (max = 2000) => z.string().trim().min(1).max(max);
export const count = z.number().int().min(0);
export const cents = z.number().int().positive();

export const person = z
  .object({ personId: uuid, name: text(200), email: z.email() })
  .strict()
  .describe('A person with a stable id, a name and an e-mail');
export type Person = z.infer<typeof person>;

export const period = z
  .object({ from: isoDate, to: isoDate })
  .strict()
  .refine((p) => p.from <= p.to, { message: 'from must not be after to', path: ['to'] });
export type Period = z.infer<typeof period>;

/** Events are written by deciders: same shapes, strict, versioned by the event spec. */
export const eventSchema = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict();
export const commandSchema = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict();
