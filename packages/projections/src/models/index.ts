import type { Projection } from '../runtime/types';
import { changeProjectsProjection } from './change-projects';
import { progressProjection } from './progress';
import { scheduleProjection } from './schedule';
import { directoryProjection } from './directory';
import { deliveriesProjection } from './deliveries';
import { documentsProjection } from './documents';
import { measuresProjection } from './measures';
import { networkProjection } from './network';

export { changeProjectsProjection, progressProjection, scheduleProjection, directoryProjection, deliveriesProjection, documentsProjection, measuresProjection, networkProjection };
export { countColumns, countsToColumns } from './progress';

/** Every projection this code runs, by name. */
export const projections: Projection[] = [progressProjection, changeProjectsProjection, scheduleProjection, directoryProjection, deliveriesProjection, documentsProjection, measuresProjection, networkProjection];

export function projectionByName(name: string): Projection {
  const p = projections.find((x) => x.name === name);
  if (!p) throw new Error(`unknown projection ${name} (known: ${projections.map((x) => x.name).join(', ')})`);
  return p;
}
