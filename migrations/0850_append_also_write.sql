-- Issue 13: a write that rides with an append (the API's stored answer to a keyed command) may be
-- group-committed. It was a CTE of the append's own statement, so such an append ran alone: a
-- transaction, a round trip and a WAL flush of its own for every keyed command (a quarter of the
-- realistic mix, ~1 ms of statement time each against ~0.2 ms for a request of a batch).
--
-- The write is now a statement the application hands over as text with its values: run here
-- after the append, in the append's transaction, with $1 the values (a jsonb array) and $2 the
-- append's result (streams, lastPosition, replayed); nothing is written for a replayed append or
-- an append that did not happen (NULL: the key generation moved). The text comes from the
-- application's own code, never from a request. The group commit calls this after
-- convene_append_batch_guarded in the same statement (group-commit.ts); a single append calls it in
-- its own statement (append-request.ts). A new function: a server of this version on a database
-- without it fails loudly (undefined function) instead of losing the stored answers.
CREATE OR REPLACE FUNCTION convene_also_write(p_sql text, p_values jsonb, p_result jsonb) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_rows integer;
BEGIN
  IF p_result IS NULL OR coalesce((p_result->>'replayed')::boolean, false) THEN
    RETURN 0;
  END IF;
  EXECUTE p_sql USING p_values, p_result;
  GET DIAGNOSTICS v_rows = ROW_COUNT;
  RETURN v_rows;
END $$;
