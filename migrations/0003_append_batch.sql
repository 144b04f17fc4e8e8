-- Group commit: many independent appends in one transaction and one round trip. Each request
-- runs in its own subtransaction, so a request whose expected version (or idempotency key, or
-- anything else) fails is rolled back alone and answered with its error; the others commit
-- together. Callers keep per-append atomicity and durability; the database pays one commit.
CREATE FUNCTION convene_append_batch(p_requests jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_req jsonb;
  v_results jsonb := '[]'::jsonb;
  v_code text;
  v_detail text;
  v_message text;
BEGIN
  -- Taken here, outside the subtransactions: a rolled-back subtransaction would release the
  -- appender lock and undo the flag, while the transaction's xid stays assigned.
  IF current_setting('convene.appending', true) IS DISTINCT FROM 'on' THEN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
      RAISE EXCEPTION 'an append must be the first write of its transaction' USING ERRCODE = 'CV003';
    END IF;
    PERFORM pg_advisory_xact_lock_shared(1129729653, 1);
    PERFORM pg_current_xact_id();
    PERFORM set_config('convene.appending', 'on', true);
    PERFORM set_config('convene.next_index', '0', true);
  END IF;
  FOR v_req IN SELECT value FROM jsonb_array_elements(p_requests) LOOP
    BEGIN
      v_results := v_results || jsonb_build_array(jsonb_build_object('ok', convene_append(
        v_req->'appends', v_req->'guards', v_req->'metadata', v_req->>'idemKey',
        v_req->>'idemFingerprint', v_req->'idemExtra', (v_req->>'recordedAt')::timestamptz)));
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS v_code = RETURNED_SQLSTATE, v_detail = PG_EXCEPTION_DETAIL, v_message = MESSAGE_TEXT;
      v_results := v_results || jsonb_build_array(jsonb_build_object('error',
        jsonb_build_object('code', v_code, 'detail', v_detail, 'message', v_message)));
    END;
  END LOOP;
  RETURN v_results;
END $$;
