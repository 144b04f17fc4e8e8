-- Crypto-shredding of personal data (names, e-mails of people in events). Frozen in time.
--
-- Personal values inside event data are stored encrypted (AES-256-GCM) under a key per data
-- subject ("person:<id>", "email:<sha256>", "name:<sha256>"). Erasing a subject deletes its key:
-- the events stay as they are (immutable, same count, same ids), and their personal values can no
-- longer be decrypted, so they read as a placeholder. A key is created before the append that
-- first uses it, in its own statement; a key without events is harmless.
CREATE TABLE personal_data_keys (
  subject_id text PRIMARY KEY,
  key        bytea NOT NULL CHECK (octet_length(key) = 32),
  created_at timestamptz NOT NULL DEFAULT now()
);
