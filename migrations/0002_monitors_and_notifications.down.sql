DROP TABLE monitor_notifications;
DROP TABLE notifications;
DROP TABLE monitor_regions;
DROP TABLE monitors;
DROP TABLE regions;
DROP TYPE notification_type;
DROP TYPE monitor_status;
DROP TYPE monitor_type;
