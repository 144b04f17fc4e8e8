-- Issue 13: the batch's set-based path also takes requests with guards. Every command of the
-- realistic mix guards a stream it read for context (a participation command the collaborative,
-- a meeting's or a project's command its collaborative), so convene_append_batch sent all of them
-- through a subtransaction and convene_append each: ~0.3 ms of statement time per command in the
-- batch, the largest PostgreSQL cost of a command. Here the guards of every plain request are
-- locked FOR SHARE in one statement (as convene_append locks each) and checked against the
-- versions the requests name; a request whose guard does not hold, like one whose expected version
-- does not, is not written by that statement and goes the request-by-request path, which answers
-- why (CV001). A new name: a server of this version never calls a function that would ignore its
-- guards, and servers of the previous version keep calling theirs until they stop.
--
-- The client (group-commit.ts) makes a request with guards plain only when no plain request of the
-- batch appends to a stream it guards: the statement's UPDATE and its guard check see the same
-- snapshot, so a guard on a stream the same statement moves would be checked against the version
-- before the move.
CREATE OR REPLACE FUNCTION convene_append_batch_guarded(p_requests jsonb, p_plain_events integer) RETURNS jsonb LANGUAGE plpgsql AS $$
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
  -- Taken here, outside the subtransactions: a rolled-back subtransaction would release the
  -- appender lock and undo the flag, while the transaction's xid stays assigned.
  IF current_setting('convene.appending', true) IS DISTINCT FROM 'on' THEN
    PERFORM convene_begin_append();
  END IF;
  v_base := current_setting('convene.base')::bigint;
  v_next := current_setting('convene.next_index')::integer;
  v_results := array_fill(NULL::jsonb, ARRAY[jsonb_array_length(p_requests)]);

  WITH req AS (
    SELECT x.s, x.x, x.o, x.e, x.g, x.i::integer AS i
      FROM ROWS FROM (jsonb_to_recordset(p_requests) AS (s text, x integer, o integer, e jsonb, g jsonb))
           WITH ORDINALITY AS x(s, x, o, e, g, i)
     WHERE x.x > 0
  ), guard AS (
    SELECT q.i, g."streamId" AS s, g."expectedVersion" AS x
      FROM req q, jsonb_to_recordset(coalesce(q.g, '[]'::jsonb)) AS g("streamId" text, "expectedVersion" integer)
  ), held AS MATERIALIZED (
    -- In stream order, as the batches lock the rows they write (no lock-order deadlock among them).
    SELECT st.stream_id, st.version FROM streams st
     WHERE st.stream_id IN (SELECT s FROM guard) ORDER BY st.stream_id FOR SHARE
  ), failing AS MATERIALIZED (
    SELECT gd.i FROM guard gd LEFT JOIN held h ON h.stream_id = gd.s WHERE coalesce(h.version, 0) IS DISTINCT FROM gd.x
  ), upd AS (
    UPDATE streams st SET version = st.version + jsonb_array_length(q.e)
      FROM req q
     WHERE st.stream_id = q.s AND st.version = q.x AND jsonb_array_length(q.e) > 0
       AND NOT EXISTS (SELECT 1 FROM failing f WHERE f.i = q.i)
    RETURNING q.i, q.o, jsonb_array_length(q.e) AS n, st.version
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
         coalesce(array_agg(jsonb_build_array(u.version, v_base + v_next + u.o + u.n - 1)), '{}')
    INTO v_done, v_answers
    FROM upd u;
  FOR k IN 1 .. coalesce(array_length(v_done, 1), 0) LOOP
    v_results[v_done[k]] := v_answers[k];
  END LOOP;
  v_next := v_next + p_plain_events;

  IF coalesce(array_length(v_done, 1), 0) < jsonb_array_length(p_requests) THEN
    FOR r IN SELECT q.i::integer AS i, coalesce(x."full", jsonb_build_object(
                 'appends', jsonb_build_array(jsonb_build_object('streamId', x.s, 'streamType', x.t, 'expected', x.x, 'events', x.e)),
                 'guards', coalesce(x.g, '[]'::jsonb), 'metadata', x.m, 'recordedAt', x.at)) AS req
               FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS q(r, i),
                    jsonb_to_record(q.r) AS x(s text, t text, x integer, e jsonb, g jsonb, m jsonb, at text, "full" jsonb)
              WHERE NOT (q.i::integer = ANY (v_done)) LOOP
      PERFORM set_config('convene.next_index', v_next::text, true);
      BEGIN
        v_results[r.i] := jsonb_build_object('ok', convene_append(
          r.req->'appends', r.req->'guards', r.req->'metadata', r.req->>'idemKey',
          r.req->>'idemFingerprint', r.req->'idemExtra', (r.req->>'recordedAt')::timestamptz));
      EXCEPTION WHEN OTHERS THEN
        -- Caught here, a deadlock or lock timeout (class 40, 55P03) is answered like any other
        -- error; the caller re-runs those requests alone (group-commit.ts).
        GET STACKED DIAGNOSTICS v_code = RETURNED_SQLSTATE, v_detail = PG_EXCEPTION_DETAIL, v_message = MESSAGE_TEXT;
        v_results[r.i] := jsonb_build_object('error',
          jsonb_build_object('code', v_code, 'detail', v_detail, 'message', v_message));
      END;
      v_next := current_setting('convene.next_index')::integer;
    END LOOP;
  END IF;

  IF v_next >= 1048576 THEN
    RAISE EXCEPTION 'a transaction may append at most 1048575 events' USING ERRCODE = 'CV004';
  END IF;
  PERFORM set_config('convene.next_index', v_next::text, true);
  RETURN to_jsonb(v_results);
END $$;
