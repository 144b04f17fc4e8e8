// Collaborative read schemas.
import { z } from 'zod';

// Totals are numbers, not int: amounts stored before the input bounds can sum past 2^53 (then approximate).
export const ExpendituresSchema = z
  .object({ collaborativeId: z.string(), totalCents: z.number(), categories: z.array(z.object({ category: z.string(), totalCents: z.number(), count: z.number().int() })) })
  .meta({ id: 'ExpendituresByCategory' });
