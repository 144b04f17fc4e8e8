// Collaborative read schemas.
import { z } from 'zod';

export const ExpendituresSchema = z
  .object({ collaborativeId: z.string(), totalCents: z.number().int(), categories: z.array(z.object({ category: z.string(), totalCents: z.number().int(), count: z.number().int() })) })
  .meta({ id: 'ExpendituresByCategory' });
