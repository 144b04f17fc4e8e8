-- Issue 12.12: idempotency records keep ids, versions and counts only, and expire.
-- Frozen in time: later changes go in later files.
--
-- Until now a command's idempotency row kept the decided events themselves (result.extra.events
-- and result.extra.also[].events), unsealed, forever. A replay now reads the events back from
-- their streams (unsealed like any read): strip them from the rows already stored, keeping how
-- many there were.
UPDATE idempotency_keys
   SET result = jsonb_set(
         result, '{extra}',
         ((result->'extra') - 'events' - 'also')
           || jsonb_build_object(
                'count', jsonb_array_length(result->'extra'->'events'),
                'also', coalesce((
                  SELECT jsonb_agg(jsonb_build_object('streamId', a->'streamId', 'count',
                           coalesce(jsonb_array_length(a->'events'), 0)))
                    FROM jsonb_array_elements(coalesce(result->'extra'->'also', '[]'::jsonb)) AS a
                ), '[]'::jsonb)))
 WHERE jsonb_typeof(result->'extra'->'events') = 'array';

-- The retention sweep (packages/eventstore/src/idempotency.ts) deletes by age.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
CREATE INDEX api_idempotent_responses_created_at ON api_idempotent_responses (created_at);
