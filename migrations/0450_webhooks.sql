-- Webhooks (issue 7, global feed for integrators): subscriptions that receive the feed's events
-- by HMAC-signed POSTs, each with its checkpoint, and a log of every delivery attempt.
-- Frozen in time: later changes go in later files.

CREATE TABLE webhook_subscriptions (
  subscription_id  uuid PRIMARY KEY,
  url              text NOT NULL,
  -- The HMAC key. Kept in clear because signing needs it; shown to the caller once, at creation.
  secret           text NOT NULL,
  -- NULL: every event type.
  event_types      text[],
  -- NULL: every collaborative (only a convener-wide admin may create such a subscription).
  collaborative_id uuid,
  description      text,
  created_by       uuid NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  deactivated_at   timestamptz,
  -- Checkpoint: the global position of the last event delivered (or passed over by the filters).
  position         bigint NOT NULL,
  -- While a batch fails: its last position, so that every retry sends exactly the same batch.
  pending_to       bigint,
  failures         integer NOT NULL DEFAULT 0,
  -- After a failure: not before this time (exponential backoff). NULL: whenever there are events.
  next_attempt_at  timestamptz,
  last_error       text,
  last_attempt_at  timestamptz,
  last_success_at  timestamptz
);
CREATE INDEX webhook_subscriptions_due ON webhook_subscriptions (next_attempt_at) WHERE deactivated_at IS NULL;

-- One row per POST (success or failure), written in the transaction that moves the checkpoint.
CREATE TABLE webhook_deliveries (
  delivery_id      uuid PRIMARY KEY,
  subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions (subscription_id),
  attempted_at     timestamptz NOT NULL,
  -- 1 for the first POST of a batch, 2 for its first retry, ...
  attempt          integer NOT NULL,
  from_position    bigint NOT NULL,
  to_position      bigint NOT NULL,
  event_count      integer NOT NULL,
  -- NULL when no response came (timeout, refused connection).
  http_status      integer,
  error            text,
  duration_ms      integer NOT NULL,
  succeeded        boolean NOT NULL
);
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, attempted_at DESC, delivery_id DESC);
