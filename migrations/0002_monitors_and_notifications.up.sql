-- Regions to check from, monitors, notification channels and the links between them.

CREATE TYPE monitor_type AS ENUM ('http', 'ping');
CREATE TYPE monitor_status AS ENUM ('up', 'down');
CREATE TYPE notification_type AS ENUM ('discord', 'telegram', 'email');

CREATE TABLE regions (
    id           bigint PRIMARY KEY,
    name         text   NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    display_name text   NOT NULL UNIQUE CHECK (length(display_name) BETWEEN 1 AND 255)
);

CREATE TABLE monitors (
    id                 bigint         PRIMARY KEY,
    team_id            bigint         NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name               text           NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    type               monitor_type   NOT NULL,
    "interval"         integer        NOT NULL CHECK ("interval" BETWEEN 1 AND 2592000),
    config             jsonb          NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    last_checked       timestamptz,
    next_check         timestamptz    NOT NULL DEFAULT now(),
    status             monitor_status NOT NULL DEFAULT 'up',
    failure_threshold  smallint       NOT NULL DEFAULT 3 CHECK (failure_threshold > 0),
    recovery_threshold smallint       NOT NULL DEFAULT 1 CHECK (recovery_threshold > 0),
    -- Set while the monitor is paused: the scheduler skips it (a defect fix: the Go system cannot pause).
    paused_at          timestamptz,
    created_at         timestamptz    NOT NULL DEFAULT now(),
    updated_at         timestamptz    NOT NULL DEFAULT now()
);
CREATE INDEX monitors_team_id_idx ON monitors (team_id);
-- The scheduler claims due monitors in next_check order; paused monitors are not in the index at all.
CREATE INDEX monitors_due_idx ON monitors (next_check) WHERE paused_at IS NULL;

CREATE TABLE monitor_regions (
    id         bigint PRIMARY KEY,
    monitor_id bigint NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    region_id  bigint NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
    CONSTRAINT monitor_regions_pair_key UNIQUE (monitor_id, region_id)
);
CREATE INDEX monitor_regions_region_id_idx ON monitor_regions (region_id);

CREATE TABLE notifications (
    id         bigint            PRIMARY KEY,
    team_id    bigint            NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    type       notification_type NOT NULL,
    name       text              NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    config     jsonb             NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    created_at timestamptz       NOT NULL DEFAULT now(),
    updated_at timestamptz       NOT NULL DEFAULT now()
);
CREATE INDEX notifications_team_id_idx ON notifications (team_id);

CREATE TABLE monitor_notifications (
    id              bigint PRIMARY KEY,
    monitor_id      bigint NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    notification_id bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    CONSTRAINT monitor_notifications_pair_key UNIQUE (monitor_id, notification_id)
);
CREATE INDEX monitor_notifications_notification_id_idx ON monitor_notifications (notification_id);
