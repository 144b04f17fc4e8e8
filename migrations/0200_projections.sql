-- Projection bookkeeping. Frozen in time: later changes go in later files.
--
-- Each projection instance writes its read-model tables into a schema of its own
-- (rm_<name>_v<version>_<build>), so a new version (or a rebuild) fills fresh tables while the
-- live instance keeps serving; the swap flips `role` in one transaction. The checkpoint
-- (`position`) is updated in the same transaction as the instance's rows.
CREATE TABLE projection_instances (
  schema_name       text PRIMARY KEY,
  name              text NOT NULL,
  version           integer NOT NULL,
  role              text NOT NULL CHECK (role IN ('live', 'building', 'shadow', 'retired')),
  status            text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'failed')),
  -- Every event of the projection's types at or below this position is applied.
  position          bigint NOT NULL DEFAULT 0,
  events_applied    bigint NOT NULL DEFAULT 0,
  failed_position   bigint,
  failed_event_type text,
  last_error        text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX projection_instances_one_live ON projection_instances (name) WHERE role = 'live';

-- Poison events: a handler threw. The projection stops at the event until it is fixed.
CREATE TABLE projection_failures (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  schema_name   text NOT NULL,
  name          text NOT NULL,
  version       integer NOT NULL,
  position      bigint NOT NULL,
  event_id      uuid,
  event_type    text NOT NULL,
  error         text NOT NULL,
  occurred_at   timestamptz NOT NULL DEFAULT now(),
  resolved_at   timestamptz
);
CREATE INDEX projection_failures_open ON projection_failures (name) WHERE resolved_at IS NULL;
