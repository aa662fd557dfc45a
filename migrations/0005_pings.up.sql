-- Check results. One row per check per region, range-partitioned by UTC day so old days are dropped whole
-- instead of deleted row by row. No foreign key to monitors: a per-row check would slow COPY ingest, and rows of
-- deleted monitors age out with their partition.

CREATE TYPE ping_status AS ENUM ('successful', 'failed', 'timeout');

CREATE TABLE pings (
    time       timestamptz NOT NULL,
    monitor_id bigint      NOT NULL,
    region_id  bigint      NOT NULL,
    latency    integer     NOT NULL CHECK (latency >= 0),
    status     ping_status NOT NULL,
    PRIMARY KEY (time, monitor_id, region_id)
) PARTITION BY RANGE (time);

-- The incident engine reads the latest pings of one monitor in one region; analytics read one monitor's range.
CREATE INDEX pings_monitor_region_time_idx ON pings (monitor_id, region_id, time DESC);

-- Rows for a day that has no partition yet land here instead of failing; creating that day's partition moves
-- them into it.
CREATE TABLE pings_default PARTITION OF pings DEFAULT;

-- Creates the partition for one UTC day (pings_YYYYMMDD) unless it exists. Returns whether it created it.
CREATE FUNCTION knocker_ensure_ping_partition(day date) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    partition_name text := 'pings_' || to_char(day, 'YYYYMMDD');
    lower_bound timestamptz := day::timestamp AT TIME ZONE 'UTC';
    upper_bound timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
BEGIN
    IF to_regclass(format('%I.%I', current_schema(), partition_name)) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE pings INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name);
    EXECUTE format(
        'WITH moved AS (DELETE FROM pings_default WHERE time >= $1 AND time < $2 RETURNING *) '
        'INSERT INTO %I SELECT * FROM moved', partition_name
    ) USING lower_bound, upper_bound;
    EXECUTE format(
        'ALTER TABLE pings ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
        partition_name, lower_bound, upper_bound
    );
    RETURN true;
END
$$;

-- Drops the day partitions that end on or before `cutoff` and deletes older rows from the default partition.
-- Returns the names of the dropped partitions.
CREATE FUNCTION knocker_drop_ping_partitions(cutoff timestamptz) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    partition_name text;
BEGIN
    FOR partition_name IN
        SELECT c.relname
          FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
          JOIN pg_class p ON p.oid = i.inhparent
         WHERE p.relname = 'pings'
           AND p.relnamespace = current_schema()::regnamespace
           AND c.relname ~ '^pings_[0-9]{8}$'
           AND (to_date(substr(c.relname, 7), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC' <= cutoff
         ORDER BY c.relname
    LOOP
        EXECUTE format('DROP TABLE %I', partition_name);
        RETURN NEXT partition_name;
    END LOOP;
    DELETE FROM pings_default WHERE time < cutoff;
END
$$;

-- Today and the next two days exist from the start; `knocker maintain` (and the scheduler) keep creating ahead.
SELECT knocker_ensure_ping_partition((now() AT TIME ZONE 'UTC')::date + offset_days)
  FROM generate_series(-1, 2) AS offset_days;
