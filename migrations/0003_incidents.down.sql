DROP TABLE event_timelines;
DROP TABLE incident_monitors;
DROP TABLE incidents;
DROP FUNCTION knocker_incident_status_changed();
DROP FUNCTION knocker_incident_monitor_is_open();
DROP TYPE event_type;
DROP TYPE incident_severity;
DROP TYPE incident_status;
