import type pg from 'pg';
import { createPersonalDataHook, type PersonalDataHook } from '@convene/eventstore';
import { describePersonalData } from './descriptor';

export * from './descriptor';
export * from './routes';

/** The event store's `personalData` option: `new EventStore({ pool, personalData: personalDataHook(pool) })`. */
export const personalDataHook = (pool: pg.Pool): PersonalDataHook => createPersonalDataHook({ pool, describe: describePersonalData });
