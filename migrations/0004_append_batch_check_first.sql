-- Group commit, cheaper: a plain append (one stream, an expected version, no guards, no
-- idempotency key) no longer runs in a subtransaction. Its stream write is its version check and
-- its first write, so a wrong expected version writes nothing and needs no rollback. Anything
-- else failing in it (a malformed event id, say) aborts the whole batch, which the caller then
-- re-runs one request at a time. Other requests still run in a subtransaction each, through
-- convene_append.
--
-- Plain requests come flattened: {s: streamId, t: streamType, x: expected version (> 0),
-- o: offset of its events, e: [{id, type, schemaVersion, data}], m: metadata, at: recordedAt};
-- the others as {full: <convene_append's request>}. A plain request written by the first
-- statement is answered [nextVersion, lastPosition], the others {ok: result}; a refused one
-- {error: {code, detail, message}}.
DROP FUNCTION convene_append_batch(jsonb);
CREATE FUNCTION convene_append_batch(p_requests jsonb, p_plain_events integer) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_base bigint;
  v_next integer;
  v_results jsonb[];
  v_done integer[];
  v_answers jsonb[];
  k integer;
  v_code text;
  v_detail text;
  v_message text;
BEGIN
  IF current_setting('convene.appending', true) IS DISTINCT FROM 'on' THEN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
      RAISE EXCEPTION 'an append must be the first write of its transaction' USING ERRCODE = 'CV003';
    END IF;
    PERFORM pg_advisory_xact_lock_shared(1129729653, 1);
    PERFORM set_config('convene.appending', 'on', true);
    PERFORM set_config('convene.next_index', '0', true);
  END IF;
  v_base := (pg_current_xact_id()::text::bigint) << 20;
  v_next := current_setting('convene.next_index')::integer;
  v_results := array_fill(NULL::jsonb, ARRAY[jsonb_array_length(p_requests)]);

  -- Every plain request with an expected version, in one statement: the stream row's update is
  -- the version check, and only requests whose update matched insert events (the update
  -- returns the request's index, so each answer goes to its own request). The caller sends at
  -- most one plain request per stream, each with its events' offset among those requests' events
  -- (o) and their total (p_plain_events); a refused request leaves a hole in the positions, as a
  -- rolled-back append does. Refused ones are done once more below.
  WITH upd AS (
    UPDATE streams st SET version = st.version + jsonb_array_length(x.e)
      FROM ROWS FROM (jsonb_to_recordset(p_requests) AS (s text, x integer, o integer, e jsonb))
           WITH ORDINALITY AS x(s, x, o, e, i)
     WHERE x.x > 0 AND st.stream_id = x.s AND st.version = x.x
    RETURNING x.i::integer AS i, x.o, jsonb_array_length(x.e) AS n, st.version
  ), ins AS (
    INSERT INTO events (global_position, stream_id, stream_type, stream_version, event_id,
                        event_type, schema_version, data, metadata, recorded_at)
    SELECT v_base + v_next + u.o + ev.ord - 1, rq.s, rq.t, u.version - u.n + ev.ord, ev.id, ev.type,
           coalesce(ev.sv, 1), coalesce(ev.data, 'null'::jsonb), rq.m, coalesce(rq.at, now())
      FROM upd u, jsonb_to_record(p_requests->(u.i - 1)) AS rq(s text, t text, e jsonb, m jsonb, at timestamptz),
           ROWS FROM (jsonb_to_recordset(rq.e) AS (id uuid, type text, "schemaVersion" integer, data jsonb))
           WITH ORDINALITY AS ev(id, type, sv, data, ord)
  )
  SELECT coalesce(array_agg(u.i), '{}'),
         coalesce(array_agg(jsonb_build_array(u.version, CASE WHEN u.n > 0 THEN v_base + v_next + u.o + u.n - 1 END)), '{}')
    INTO v_done, v_answers
    FROM upd u;
  FOR k IN 1 .. coalesce(array_length(v_done, 1), 0) LOOP
    v_results[v_done[k]] := v_answers[k];
  END LOOP;
  v_next := v_next + p_plain_events;

  -- Then, in order, whatever that left, each through convene_append in a subtransaction of its
  -- own: full requests, and refused plain ones, whose stream write is tried once more (a
  -- concurrent append may have moved the stream meanwhile) or refused with the actual version.
  IF coalesce(array_length(v_done, 1), 0) < jsonb_array_length(p_requests) THEN
    FOR r IN SELECT q.i::integer AS i, coalesce(x."full", jsonb_build_object(
                 'appends', jsonb_build_array(jsonb_build_object('streamId', x.s, 'streamType', x.t, 'expected', x.x, 'events', x.e)),
                 'guards', '[]'::jsonb, 'metadata', x.m, 'recordedAt', x.at)) AS req
               FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS q(r, i),
                    jsonb_to_record(q.r) AS x(s text, t text, x integer, e jsonb, m jsonb, at text, "full" jsonb)
              WHERE NOT (q.i::integer = ANY (v_done)) LOOP
      PERFORM set_config('convene.next_index', v_next::text, true);
      BEGIN
        v_results[r.i] := jsonb_build_object('ok', convene_append(
          r.req->'appends', r.req->'guards', r.req->'metadata', r.req->>'idemKey',
          r.req->>'idemFingerprint', r.req->'idemExtra', (r.req->>'recordedAt')::timestamptz));
      EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_code = RETURNED_SQLSTATE, v_detail = PG_EXCEPTION_DETAIL, v_message = MESSAGE_TEXT;
        v_results[r.i] := jsonb_build_object('error',
          jsonb_build_object('code', v_code, 'detail', v_detail, 'message', v_message));
      END;
      -- A rolled-back subtransaction also rolls back its set_config: the index is right either way.
      v_next := current_setting('convene.next_index')::integer;
    END LOOP;
  END IF;

  IF v_next >= 1048576 THEN
    RAISE EXCEPTION 'a transaction may append at most 1048575 events' USING ERRCODE = 'CV004';
  END IF;
  PERFORM set_config('convene.next_index', v_next::text, true);
  RETURN to_jsonb(v_results);
END $$;

-- Every append rewrites its stream's row. Room left on each page lets that new row version stay
-- on the page (a HOT update: no index entry, less WAL) once the table holds many streams.
ALTER TABLE streams SET (fillfactor = 70);
