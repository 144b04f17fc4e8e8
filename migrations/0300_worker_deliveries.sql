-- Workers (issue 6): a checkpointed reactor plans deliveries from the event feed; a dispatcher
-- moves due rows into BullMQ. Frozen in time: later changes go in later files.

-- Position in the global feed of each checkpointed consumer of the worker service.
CREATE TABLE worker_checkpoints (
  name       text PRIMARY KEY,
  position   bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Per-collaborative overrides of the delivery schedule (defaults live in code).
CREATE TABLE delivery_settings (
  collaborative_id uuid PRIMARY KEY,
  settings         jsonb NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- One row per planned message (per recipient agency). The key is deterministic and is the
-- BullMQ job id and the idempotency key of the delivery event. The payload holds ids only.
CREATE TABLE scheduled_deliveries (
  key              text PRIMARY KEY CHECK (key !~ ':'),
  kind             text NOT NULL,
  collaborative_id uuid NOT NULL,
  subject_id       text NOT NULL,
  due_at           timestamptz NOT NULL,
  payload          jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'dispatched', 'sent', 'cancelled', 'skipped')),
  planned_at_position bigint,
  dispatched_at    timestamptz,
  finished_at      timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scheduled_deliveries_due ON scheduled_deliveries (due_at) WHERE status = 'pending';
CREATE INDEX scheduled_deliveries_subject ON scheduled_deliveries (subject_id, kind);

-- What the reactor needs to plan (no personal data: recipients are resolved when sending).
CREATE TABLE worker_meetings (
  meeting_id        uuid PRIMARY KEY,
  collaborative_id  uuid NOT NULL,
  starts_at         timestamptz NOT NULL,
  status            text NOT NULL,
  invited           jsonb NOT NULL,
  absent            jsonb NOT NULL DEFAULT '[]'::jsonb,
  minutes_published boolean NOT NULL DEFAULT false
);
CREATE INDEX worker_meetings_collaborative ON worker_meetings (collaborative_id, starts_at);

CREATE TABLE worker_collaboratives (
  collaborative_id uuid PRIMARY KEY,
  starts_on        date NOT NULL,
  ends_on          date NOT NULL,
  closed           boolean NOT NULL DEFAULT false
);

CREATE TABLE worker_agencies (
  collaborative_id uuid NOT NULL,
  agency_id        uuid NOT NULL,
  active           boolean NOT NULL,
  baseline_to      text,
  months           text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (collaborative_id, agency_id)
);
