-- Calendar feed tokens (services/api/src/calendar). Frozen in time: later changes go in later files.
-- A calendar client cannot send an Authorization header, so a feed is read with a secret token in
-- its URL; only the token's sha256 is stored. A feed reads with the rights of the API key that
-- created it: revoking the feed or that key stops the feed.
CREATE TABLE calendar_feeds (
  feed_id          uuid PRIMARY KEY,
  token_hash       text NOT NULL UNIQUE,
  key_id           uuid NOT NULL REFERENCES api_keys (key_id),
  collaborative_id uuid NOT NULL,
  -- Whose calendar: the collaborative's, an agency's or a coach's (subject_id: the agency or coach).
  scope            text NOT NULL CHECK (scope IN ('collaborative', 'agency', 'coach')),
  subject_id       uuid,
  name             text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  revoked_at       timestamptz,
  CHECK ((scope = 'collaborative') = (subject_id IS NULL))
);
CREATE INDEX calendar_feeds_collaborative ON calendar_feeds (collaborative_id, created_at);
