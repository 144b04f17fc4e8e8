// Erasure on the live read models at once (issue 14): the privacy route, in the transaction that
// deletes the subjects' keys, replaces their values (read from the events just before) by the
// placeholders in every table of every live or building instance. Reads never show an erased value
// after that commit, while the rebuild that PersonalDataErased triggers (holdsPersonalData) makes
// the tables equal a fold of the erased log again. Values are replaced where a column holds exactly
// the value (text), an element equals it (text[]) or a JSON string equals it (jsonb).
import type { TableSpec } from './types';
import { ident } from './pg-store';

export interface ErasedValue {
  value: string;
  placeholder: string;
}

interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null }>;
}

export interface ScrubTarget {
  schema: string;
  tables: TableSpec[];
}

/** Replaces the erased values in these schemas' tables; returns the number of rows changed. */
export async function scrubErasedValues(client: Queryable, targets: ScrubTarget[], erased: ErasedValue[]): Promise<number> {
  const values = erased.filter((e) => e.value.length > 0 && e.value !== e.placeholder);
  if (values.length === 0) return 0;
  const from = values.map((e) => e.value);
  const to = values.map((e) => e.placeholder);
  let changed = 0;
  for (const { schema, tables } of targets) {
    for (const table of tables) {
      const name = `${ident(schema)}.${ident(table.name)}`;
      for (const [column, type] of Object.entries(table.columns)) {
        const c = ident(column);
        if (type === 'text') {
          const r = await client.query(
            `UPDATE ${name} t SET ${c} = m.p FROM unnest($1::text[], $2::text[]) AS m(v, p) WHERE t.${c} = m.v`,
            [from, to],
          );
          changed += r.rowCount ?? 0;
        } else if (type === 'text[]') {
          for (const e of values) {
            const r = await client.query(`UPDATE ${name} SET ${c} = array_replace(${c}, $1, $2) WHERE $1 = ANY(${c})`, [e.value, e.placeholder]);
            changed += r.rowCount ?? 0;
          }
        } else if (type === 'jsonb') {
          for (const e of values) {
            // to_json(text)::text is the value as a JSON string, quotes included: only whole strings match.
            const r = await client.query(
              `UPDATE ${name} SET ${c} = replace(${c}::text, to_json($1::text)::text, to_json($2::text)::text)::jsonb
                WHERE strpos(${c}::text, to_json($1::text)::text) > 0`,
              [e.value, e.placeholder],
            );
            changed += r.rowCount ?? 0;
          }
        }
      }
    }
  }
  return changed;
}
