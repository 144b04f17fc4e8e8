-- Issue 11 (consumers). Frozen in time: later changes go in later files.
--
-- Leases as rows with an expiry instead of session advisory locks, so they are correct behind a
-- transaction pooler (PgBouncer hands a session lock to whichever client next uses that server
-- connection) and survive a dropped connection: a holder renews `claimed_until` by heartbeat;
-- anyone may take a claim whose time has passed. Times are the database's clock.

-- The projector's lease of each projection instance.
ALTER TABLE projection_instances
  ADD COLUMN claimed_by    text,
  ADD COLUMN claimed_until timestamptz;

-- The worker's claim of a delivery while it sends it (no two processes send one key at once).
ALTER TABLE scheduled_deliveries
  ADD COLUMN claimed_by    text,
  ADD COLUMN claimed_until timestamptz,
  -- Set when the SMTP server accepted the message, before the delivery event is appended: a
  -- retry that finds it set records the delivery instead of sending again.
  ADD COLUMN accepted_at   timestamptz,
  ADD COLUMN accepted_info jsonb;

-- Poison events parked per stream: a projection skips the stream's events from `position` on
-- (the others go on) until an operator resumes it. NULL stream_id: the old whole-projection stop.
ALTER TABLE projection_failures ADD COLUMN stream_id text;
CREATE INDEX projection_failures_parked ON projection_failures (schema_name) WHERE resolved_at IS NULL AND stream_id IS NOT NULL;

-- Poison events of the worker's reactor and the webhook deliveries, parked per collaborative
-- (consumer 'worker-delivery-planner', or 'webhook:<subscription id>').
CREATE TABLE consumer_parked_events (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consumer         text NOT NULL,
  -- What is parked: a collaborative id, or a stream id when the event names no collaborative.
  parked_key       text NOT NULL,
  position         bigint NOT NULL,
  event_id         uuid NOT NULL,
  event_type       text NOT NULL,
  stream_id        text NOT NULL,
  -- The first event of a parking holds the error; later events of the parked key have none.
  error            text,
  parked_at        timestamptz NOT NULL DEFAULT now(),
  resolved_at      timestamptz,
  UNIQUE (consumer, event_id)
);
CREATE INDEX consumer_parked_open ON consumer_parked_events (consumer, parked_key) WHERE resolved_at IS NULL;
