-- Incidents, the monitors they affect, and their event timelines.

CREATE TYPE incident_status AS ENUM ('detected', 'investigating', 'identified', 'monitoring', 'resolved');
CREATE TYPE incident_severity AS ENUM ('emergency', 'critical', 'major', 'minor', 'info');
CREATE TYPE event_type AS ENUM (
    'detected', 'notification_sent', 'manually_resolved', 'auto_resolved', 'unpublished', 'published',
    'investigating', 'identified', 'update', 'monitoring'
);

CREATE TABLE incidents (
    id           bigint            PRIMARY KEY,
    status       incident_status   NOT NULL DEFAULT 'detected',
    severity     incident_severity NOT NULL DEFAULT 'major',
    is_public    boolean           NOT NULL DEFAULT false,
    auto_resolve boolean           NOT NULL DEFAULT false,
    started_at   timestamptz       NOT NULL DEFAULT now(),
    resolved_at  timestamptz,
    created_at   timestamptz       NOT NULL DEFAULT now(),
    updated_at   timestamptz       NOT NULL DEFAULT now(),
    CONSTRAINT incidents_resolved_at_check CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE INDEX incidents_open_idx ON incidents (started_at) WHERE status <> 'resolved';

CREATE TABLE incident_monitors (
    id          bigint  PRIMARY KEY,
    incident_id bigint  NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    monitor_id  bigint  NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    -- A copy of "the incident is not resolved", kept by the triggers below, so that the database itself can
    -- refuse a second open incident for one monitor (the Go system documents this rule but never enforces it).
    is_open     boolean NOT NULL DEFAULT true,
    CONSTRAINT incident_monitors_pair_key UNIQUE (incident_id, monitor_id)
);
CREATE INDEX incident_monitors_monitor_id_idx ON incident_monitors (monitor_id, incident_id);
CREATE UNIQUE INDEX incident_monitors_one_open_per_monitor ON incident_monitors (monitor_id) WHERE is_open;

CREATE FUNCTION knocker_incident_monitor_is_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT i.status <> 'resolved' INTO NEW.is_open FROM incidents i WHERE i.id = NEW.incident_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER incident_monitors_is_open BEFORE INSERT OR UPDATE OF incident_id ON incident_monitors
    FOR EACH ROW EXECUTE FUNCTION knocker_incident_monitor_is_open();

CREATE FUNCTION knocker_incident_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE incident_monitors SET is_open = (NEW.status <> 'resolved')
     WHERE incident_id = NEW.id AND is_open IS DISTINCT FROM (NEW.status <> 'resolved');
    RETURN NULL;
END
$$;
CREATE TRIGGER incidents_status_changed AFTER UPDATE OF status ON incidents
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION knocker_incident_status_changed();

CREATE TABLE event_timelines (
    id         bigint      PRIMARY KEY,
    event_id   bigint      NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    created_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    message    text        NOT NULL,
    event_type event_type  NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_timelines_event_id_idx ON event_timelines (event_id, created_at);
