-- Cancelling or superseding a subject's planned messages (a meeting moved, minutes corrected
-- again) looks only at rows still to go out. The index on every row of a subject made that look-up
-- read the subject's whole history of sent and cancelled rows: a benchmark's meeting with thousands
-- of corrections read ~80 index rows per command (issue 13). Rows still open are few per subject.
CREATE INDEX IF NOT EXISTS scheduled_deliveries_open_subject ON scheduled_deliveries (subject_id, kind)
  WHERE status IN ('pending', 'dispatched');
DROP INDEX IF EXISTS scheduled_deliveries_subject;
