-- Degraded pings are up: they count as good (within 5000 ms) and into the latency percentiles.

-- Rebuilds every bucket from (watermark - lookback) up to `until`. Returns the number of bucket rows written.
CREATE OR REPLACE FUNCTION knocker_refresh_ping_rollup(until timestamptz, lookback interval) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    watermark timestamptz;
    from_time timestamptz;
    written bigint;
BEGIN
    SELECT refreshed_until INTO watermark FROM knocker_rollup_state WHERE name = 'monitor_30min_summary' FOR UPDATE;
    IF watermark IS NULL THEN
        SELECT min(time) INTO from_time FROM pings;
        IF from_time IS NULL THEN
            from_time := until;
        END IF;
    ELSE
        from_time := least(watermark, until) - lookback;
    END IF;
    from_time := date_bin('30 minutes', from_time, timestamptz '2000-01-01 00:00:00+00');

    DELETE FROM monitor_30min_summary WHERE bucket >= from_time AND bucket < until;
    INSERT INTO monitor_30min_summary
        (monitor_id, region_id, bucket, total_count, good_count, p50_ms, p75_ms, p90_ms, p95_ms, p99_ms)
    SELECT monitor_id, region_id,
           date_bin('30 minutes', time, timestamptz '2000-01-01 00:00:00+00') AS bucket,
           count(*),
           count(*) FILTER (WHERE status IN ('successful', 'degraded') AND latency <= 5000),
           percentile_cont(0.50) WITHIN GROUP (ORDER BY latency) FILTER (WHERE status IN ('successful', 'degraded')),
           percentile_cont(0.75) WITHIN GROUP (ORDER BY latency) FILTER (WHERE status IN ('successful', 'degraded')),
           percentile_cont(0.90) WITHIN GROUP (ORDER BY latency) FILTER (WHERE status IN ('successful', 'degraded')),
           percentile_cont(0.95) WITHIN GROUP (ORDER BY latency) FILTER (WHERE status IN ('successful', 'degraded')),
           percentile_cont(0.99) WITHIN GROUP (ORDER BY latency) FILTER (WHERE status IN ('successful', 'degraded'))
      FROM pings
     WHERE time >= from_time AND time < until
     GROUP BY 1, 2, 3;
    GET DIAGNOSTICS written = ROW_COUNT;

    INSERT INTO knocker_rollup_state (name, refreshed_until) VALUES ('monitor_30min_summary', until)
        ON CONFLICT (name) DO UPDATE SET refreshed_until = greatest(knocker_rollup_state.refreshed_until, EXCLUDED.refreshed_until);
    RETURN written;
END
$$;
