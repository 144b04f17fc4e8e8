-- Write skew between a command that finds its context streams by a query of the store and one that
-- creates a stream the query would have found. CorrectCollaborativeDates reads the collaborative's
-- meetings and site visits (CommandSpec.discover) and must keep them inside its new dates; a new
-- meeting guards the collaborative's stream (it is scheduled inside the dates it read). The guard
-- holds the collaborative's row FOR SHARE until its append commits, and the correction's append
-- updates that row, so the two are ordered; but the correction's query ran before its append, and a
-- meeting committed in between was neither found nor refused by either.
--
-- This check runs after the append, in its transaction, once the append holds its rows: a volatile
-- function's query takes a fresh snapshot, so it sees every stream committed before the append's
-- locks were granted, and any later one waits for them and then fails its own guard. A stream the
-- query finds now that the command did not is a concurrency conflict (CV001, like a version that
-- moved): the command is decided again on what is there. p_checks: [{eventType, match, streams}].
CREATE OR REPLACE FUNCTION convene_check_no_new_streams(p_checks jsonb) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  c jsonb;
  v_stream text;
  v_version integer;
BEGIN
  FOR c IN SELECT value FROM jsonb_array_elements(coalesce(p_checks, '[]'::jsonb)) LOOP
    v_stream := NULL;
    -- As findStreams asks (the collaborative's expression index, migration 0701).
    SELECT e.stream_id INTO v_stream FROM events e
     WHERE e.data->>'collaborativeId' = c->'match'->>'collaborativeId' AND e.event_type = c->>'eventType'
       AND e.data @> (c->'match')
       AND NOT (e.stream_id = ANY (ARRAY(SELECT jsonb_array_elements_text(coalesce(c->'streams', '[]'::jsonb)))))
     LIMIT 1;
    IF v_stream IS NOT NULL THEN
      SELECT version INTO v_version FROM streams WHERE stream_id = v_stream;
      RAISE EXCEPTION 'stream % appeared after the command looked for its %', v_stream, c->>'eventType' USING ERRCODE = 'CV001',
        DETAIL = jsonb_build_object('streamId', v_stream, 'expected', 0, 'actual', coalesce(v_version, 0))::text;
    END IF;
  END LOOP;
  RETURN true;
END $$;
