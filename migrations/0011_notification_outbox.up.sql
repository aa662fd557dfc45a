-- Notification tasks the incident engine asked for, written in the same transaction as the incident change and
-- deleted once the task is in the queue. A worker whose Redis was unreachable after the commit leaves them here;
-- every worker sweeps rows older than a grace period into the queue (task IDs are fixed per incident, channel and
-- kind, and deliveries are recorded once, so enqueueing one twice sends it once).
CREATE TABLE notification_outbox (
    task_id    text        PRIMARY KEY,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Sweeps whose enqueue Redis refused (the row goes to the back of the line each time; dropped after 10).
    attempts   integer     NOT NULL DEFAULT 0
);
CREATE INDEX notification_outbox_created_at_idx ON notification_outbox (created_at);
