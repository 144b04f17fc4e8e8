-- A retired measure owes no data (catalogueReports counts only measures in use): the planner now
-- works a collaborative's cadences out again on MeasureRetired. Retirements it planned past before
-- that left monthly_data / quarterly_data as they were; this sets them from the stored events of
-- every collaborative with a retirement: the launch's catalogue (the NIATx template for events of
-- schema version 1, as the upcaster reads them), the measures defined since, less those retired; a
-- cadence is owed while one of its measures reports that often and is not text. Measure ids are
-- never reused (a defined measure is never redefined). The catalogue is not personal data (never sealed).
WITH retired_streams AS (
  SELECT DISTINCT stream_id FROM events WHERE event_type = 'MeasureRetired'
),
measures AS (
  SELECT e.stream_id, m->>'id' AS id, m->>'period' AS period, m->>'type' AS type
    FROM events e
    JOIN retired_streams USING (stream_id)
    CROSS JOIN LATERAL jsonb_array_elements(
      CASE WHEN jsonb_typeof(e.data->'catalogue') = 'array' THEN e.data->'catalogue'
           ELSE '[{"id":"waiting_time","period":"monthly","type":"mean"},{"id":"waiting_time_median","period":"monthly","type":"median"},
                  {"id":"intake_no_show","period":"monthly","type":"proportion"},{"id":"first_post_admission_no_show","period":"monthly","type":"proportion"},
                  {"id":"admissions","period":"monthly","type":"count"},{"id":"continuation_30","period":"monthly","type":"proportion"},
                  {"id":"continuation_60","period":"monthly","type":"proportion"}]'::jsonb END) AS m
   WHERE e.event_type = 'CollaborativeLaunched'
  UNION ALL
  SELECT e.stream_id, e.data->'measure'->>'id', e.data->'measure'->>'period', e.data->'measure'->>'type'
    FROM events e
    JOIN retired_streams USING (stream_id)
   WHERE e.event_type = 'MeasureDefined'
),
in_use AS (
  SELECT m.* FROM measures m
   WHERE NOT EXISTS (SELECT 1 FROM events x WHERE x.stream_id = m.stream_id AND x.event_type = 'MeasureRetired' AND x.data->>'measureId' = m.id)
),
owed AS (
  SELECT r.stream_id,
         coalesce(bool_or(u.period = 'monthly' AND u.type <> 'text'), false) AS monthly,
         coalesce(bool_or(u.period = 'quarterly' AND u.type <> 'text'), false) AS quarterly
    FROM retired_streams r LEFT JOIN in_use u USING (stream_id)
   GROUP BY r.stream_id
)
UPDATE worker_collaboratives w
   SET monthly_data = o.monthly, quarterly_data = o.quarterly
  FROM owed o
 WHERE o.stream_id = 'collaborative-' || w.collaborative_id::text;
