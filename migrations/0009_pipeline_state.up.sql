-- What the pipeline needs beyond the original's schema.

-- Slack incoming webhooks and generic signed webhooks as notification channels.
ALTER TYPE notification_type ADD VALUE IF NOT EXISTS 'slack';
ALTER TYPE notification_type ADD VALUE IF NOT EXISTS 'webhook';

-- Open an incident only when at least this many of the monitor's regions are failing (1 = the original's rule).
ALTER TABLE monitors ADD COLUMN region_quorum smallint NOT NULL DEFAULT 1 CHECK (region_quorum > 0);

-- Why a check failed (or was degraded); NULL for a plain success.
ALTER TABLE pings ADD COLUMN message text CHECK (length(message) <= 1000);

-- The incident engine's state per monitor and region, so workers of every region agree and a restarted worker
-- resumes where it was. history: bit i set = the i-th most recent check failed (bit 0 = newest); samples: how many
-- bits are meaningful (at most 63).
CREATE TABLE monitor_region_states (
    monitor_id   bigint      NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    region_id    bigint      NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
    history      bigint      NOT NULL DEFAULT 0,
    samples      smallint    NOT NULL DEFAULT 0 CHECK (samples BETWEEN 0 AND 63),
    is_down      boolean     NOT NULL DEFAULT false,
    last_message text,
    last_time    timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (monitor_id, region_id)
);
CREATE INDEX monitor_region_states_region_id_idx ON monitor_region_states (region_id);

-- Notifications delivered per incident, channel and kind ('down' when opened, 'up' when resolved): a retried
-- delivery is recorded (and its notification_sent event written) once.
CREATE TABLE notification_deliveries (
    incident_id     bigint      NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    notification_id bigint      NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    kind            text        NOT NULL CHECK (kind IN ('down', 'up')),
    delivered_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (incident_id, notification_id, kind)
);
CREATE INDEX notification_deliveries_notification_id_idx ON notification_deliveries (notification_id);
