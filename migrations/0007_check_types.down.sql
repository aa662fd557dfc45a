-- Enum values cannot be dropped: rebuild both types with the original's values. tcp and dns monitors are deleted
-- (with their regions, notifications and incident links, by cascade); degraded pings become successful.
DELETE FROM monitors WHERE type::text IN ('tcp', 'dns');
ALTER TYPE monitor_type RENAME TO monitor_type_before_0007;
CREATE TYPE monitor_type AS ENUM ('http', 'ping');
ALTER TABLE monitors ALTER COLUMN type TYPE monitor_type USING type::text::monitor_type;
DROP TYPE monitor_type_before_0007;

UPDATE pings SET status = 'successful' WHERE status::text = 'degraded';
ALTER TYPE ping_status RENAME TO ping_status_before_0007;
CREATE TYPE ping_status AS ENUM ('successful', 'failed', 'timeout');
ALTER TABLE pings ALTER COLUMN status TYPE ping_status USING status::text::ping_status;
DROP TYPE ping_status_before_0007;
