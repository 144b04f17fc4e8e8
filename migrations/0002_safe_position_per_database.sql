-- Advisory locks belong to a database; xids do not. Count only this database's appenders, so a busy
-- appender in another database of the same server does not hold this feed back.
CREATE OR REPLACE FUNCTION convene_safe_position() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_snap pg_snapshot := pg_current_snapshot();
  v_xmax bigint := pg_snapshot_xmax(v_snap)::text::bigint;
  v_bound bigint := pg_snapshot_xmax(v_snap)::text::bigint;
  v_pending boolean;
  v_min bigint;
BEGIN
  SELECT bool_or(h.xid8 IS NULL), min(h.xid8) INTO v_pending, v_min
  FROM (
    SELECT a.virtualtransaction,
           -- pg_locks shows 32-bit xids; widen them against the snapshot's 64-bit xmax.
           min(v_xmax - (((v_xmax - t.transactionid::text::bigint) % 4294967296) + 4294967296) % 4294967296) AS xid8
      FROM pg_locks a
      LEFT JOIN pg_locks t ON t.virtualtransaction = a.virtualtransaction
        AND t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted
     WHERE a.locktype = 'advisory' AND a.classid = 1129729653::oid AND a.objid = 1::oid
       AND a.objsubid = 2 AND a.granted
       AND a.database = (SELECT oid FROM pg_database WHERE datname = current_database())
     GROUP BY a.virtualtransaction
  ) h;
  IF v_min IS NOT NULL THEN v_bound := least(v_bound, v_min); END IF;
  -- An appender caught between taking its xid and showing its xid lock: its xid, if it has one,
  -- was running when the snapshot was taken, so the snapshot's xmin bounds it.
  IF v_pending THEN v_bound := least(v_bound, pg_snapshot_xmin(v_snap)::text::bigint); END IF;
  RETURN v_bound << 20;
END $$;
