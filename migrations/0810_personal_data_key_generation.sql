-- Sealing keys may be cached (issue 13). One counter, moved by every erasure in the transaction
-- that deletes keys: an append sealed with keys read at generation g is written only while the
-- counter is still g (the check is part of the append's statement), so a key erased meanwhile is
-- never used to seal new values; the appender reads the keys again and seals anew.
CREATE TABLE personal_data_key_generation (
  one        boolean PRIMARY KEY DEFAULT true CHECK (one),
  generation bigint NOT NULL
);
INSERT INTO personal_data_key_generation (generation) VALUES (0);
