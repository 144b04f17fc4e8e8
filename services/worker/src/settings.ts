import { DEFAULT_DATA_DUE_DAY } from '@convene/domain';
import { z } from 'zod';
import type { Db as Queryable } from './types';

const DAY = 24 * 60;

/** When messages go out, per collaborative. Offsets are minutes before the meeting or visit. */
export const deliverySettingsSchema = z
  .object({
    meetingReminderOffsetsMinutes: z.array(z.number().int().positive()).max(5),
    siteVisitReminderOffsetsMinutes: z.array(z.number().int().positive()).max(5),
    /** Day of the following month on which a month's data is due (UTC). */
    dataDueDay: z.number().int().min(1).max(28),
    /** Repeat the data-due reminder every so many days until the month is recorded. */
    dataDueRepeatDays: z.number().int().min(1).max(31),
    /** Corrected minutes wait this long; a further correction meanwhile replaces them (one message, every reason). */
    minutesCorrectionDelayMinutes: z.number().int().min(0).max(DAY),
  })
  .strict();
export type DeliverySettings = z.infer<typeof deliverySettingsSchema>;

export const defaultDeliverySettings: DeliverySettings = {
  meetingReminderOffsetsMinutes: [7 * DAY, DAY],
  siteVisitReminderOffsetsMinutes: [3 * DAY],
  dataDueDay: DEFAULT_DATA_DUE_DAY,
  dataDueRepeatDays: 7,
  minutesCorrectionDelayMinutes: 15,
};

export async function loadDeliverySettings(db: Queryable, collaborativeId: string): Promise<DeliverySettings> {
  const { rows } = await db.query<{ settings: unknown }>(
    'SELECT settings FROM delivery_settings WHERE collaborative_id = $1',
    [collaborativeId],
  );
  const stored = deliverySettingsSchema.partial().safeParse(rows[0]?.settings ?? {});
  return { ...defaultDeliverySettings, ...(stored.success ? stored.data : {}) };
}

/** Overrides some settings of a collaborative (validated); applies to plans made afterwards. */
export async function setDeliverySettings(
  db: Queryable,
  collaborativeId: string,
  settings: Partial<DeliverySettings>,
): Promise<DeliverySettings> {
  const parsed = deliverySettingsSchema.partial().parse(settings);
  await db.query(
    `INSERT INTO delivery_settings (collaborative_id, settings) VALUES ($1, $2)
     ON CONFLICT (collaborative_id) DO UPDATE SET settings = delivery_settings.settings || excluded.settings, updated_at = now()`,
    [collaborativeId, JSON.stringify(parsed)],
  );
  return loadDeliverySettings(db, collaborativeId);
}
