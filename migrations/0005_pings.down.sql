DROP FUNCTION knocker_drop_ping_partitions(timestamptz);
DROP FUNCTION knocker_ensure_ping_partition(date);
DROP TABLE pings;
DROP TYPE ping_status;
