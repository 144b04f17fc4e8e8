-- API keys (services/api). Frozen in time: later changes go in later files.
-- Only the sha256 of a key is stored; the key itself is shown once, when it is created.
CREATE TABLE api_keys (
  key_id            uuid PRIMARY KEY,
  name              text NOT NULL,
  key_hash          text NOT NULL UNIQUE,
  role              text NOT NULL CHECK (role IN ('admin', 'coach', 'agency', 'analyst', 'auditor')),
  -- The actor recorded in the metadata of the events written with this key.
  actor_id          uuid NOT NULL,
  -- NULL: every collaborative (a convener-wide admin, auditor or analyst).
  collaborative_ids uuid[],
  -- coach: the agencies it is assigned to; agency: exactly its own agency.
  agency_ids        uuid[] NOT NULL DEFAULT '{}',
  created_at        timestamptz NOT NULL DEFAULT now(),
  revoked_at        timestamptz,
  CHECK (role <> 'agency' OR cardinality(agency_ids) = 1)
);

-- The first answer to a command sent with an Idempotency-Key, byte for byte. Written in the
-- transaction of the command's append (after it), so a key is answered once and only once.
CREATE TABLE api_idempotent_responses (
  key_id      uuid NOT NULL,
  idem_key    text NOT NULL,
  fingerprint text NOT NULL,
  status      integer NOT NULL,
  headers     jsonb NOT NULL,
  body        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (key_id, idem_key)
);
