DROP FUNCTION knocker_refresh_ping_rollup(timestamptz, interval);
DROP TABLE knocker_rollup_state;
DROP TABLE monitor_30min_summary;
