DROP TABLE notification_deliveries;
DROP TABLE monitor_region_states;
ALTER TABLE pings DROP COLUMN message;
ALTER TABLE monitors DROP COLUMN region_quorum;

-- Enum values cannot be dropped: rebuild the type; slack and webhook channels are deleted.
DELETE FROM notifications WHERE type::text IN ('slack', 'webhook');
ALTER TYPE notification_type RENAME TO notification_type_before_0009;
CREATE TYPE notification_type AS ENUM ('discord', 'telegram', 'email');
ALTER TABLE notifications ALTER COLUMN type TYPE notification_type USING type::text::notification_type;
DROP TYPE notification_type_before_0009;
