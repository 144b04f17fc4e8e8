-- readAll, two changes (issue 11.12).
--
-- 1. A filtered read (by types, by collaborative) that returns fewer events than asked has
--    passed every settled event: a last row with a null global_position says how far, the newest
--    stored position below the bound (never the bound itself, which no event may ever take: a
--    cursor must stay at or below the newest stored position, or a restore that re-seeds
--    positions just above it would leave it behind). Type-filtered cursors then move past other
--    types' events instead of rescanning them on every poll.
-- 2. p_collaborative: only events whose data names that collaborative, found through an index
--    instead of reading and unsealing the whole feed.
--
-- Built here, inside the migration's transaction: writes to events wait for it (once).
CREATE INDEX events_collaborative ON events ((data->>'collaborativeId'), global_position)
  WHERE data->>'collaborativeId' IS NOT NULL;

DROP FUNCTION convene_read_all(bigint, integer, text[]);
CREATE FUNCTION convene_read_all(p_after bigint, p_limit integer, p_types text[], p_collaborative text DEFAULT NULL)
RETURNS TABLE (safe_position bigint, global_position bigint, stream_id text, stream_type text,
               stream_version integer, event_id uuid, event_type text, schema_version integer,
               data jsonb, metadata jsonb, recorded_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_safe bigint;
  v_offset bigint;
  v_count integer;
  v_scanned bigint;
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'convene_read_all needs READ COMMITTED' USING ERRCODE = 'CV005';
  END IF;
  -- The offset first: should a re-seed commit after this, the check at the end sees it.
  SELECT xid_offset INTO v_offset FROM convene_positions;
  v_safe := convene_safe_position();
  -- Separate statements so each is planned for its own index (the collaborative's, or the feed's).
  IF p_collaborative IS NULL THEN
    RETURN QUERY
      SELECT v_safe, e.global_position, e.stream_id, e.stream_type, e.stream_version, e.event_id,
             e.event_type, e.schema_version, e.data, e.metadata, e.recorded_at
        FROM events e
       WHERE e.global_position > p_after AND e.global_position < v_safe
         AND (p_types IS NULL OR e.event_type = ANY (p_types))
       ORDER BY e.global_position
       LIMIT p_limit;
  ELSE
    RETURN QUERY
      SELECT v_safe, e.global_position, e.stream_id, e.stream_type, e.stream_version, e.event_id,
             e.event_type, e.schema_version, e.data, e.metadata, e.recorded_at
        FROM events e
       WHERE e.data->>'collaborativeId' = p_collaborative
         AND e.global_position > p_after AND e.global_position < v_safe
         AND (p_types IS NULL OR e.event_type = ANY (p_types))
       ORDER BY e.global_position
       LIMIT p_limit;
  END IF;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  IF v_count < p_limit THEN
    SELECT max(e.global_position) INTO v_scanned FROM events e WHERE e.global_position < v_safe;
    RETURN QUERY SELECT greatest(p_after, coalesce(v_scanned, p_after)), NULL::bigint, NULL::text, NULL::text,
      NULL::integer, NULL::uuid, NULL::text, NULL::integer, NULL::jsonb, NULL::jsonb, NULL::timestamptz;
  END IF;
  -- The bound was taken with this offset; had a re-seed committed since (appenders using the new
  -- offset may be running below that bound), the read is not gap-safe: the caller retries.
  IF (SELECT xid_offset FROM convene_positions) IS DISTINCT FROM v_offset THEN
    RAISE EXCEPTION 'global positions were re-seeded during the read' USING ERRCODE = 'CV006';
  END IF;
END $$;
