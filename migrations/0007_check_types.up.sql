-- knocker:no-transaction
-- The check engine's monitor types beyond the original's http and ping, and the `degraded` verdict (up, but slower
-- than the monitor's degraded_after_ms). ALTER TYPE … ADD VALUE cannot be used in the transaction that adds it,
-- so this migration runs outside one and the rollup change that uses `degraded` is the next migration.
ALTER TYPE monitor_type ADD VALUE IF NOT EXISTS 'tcp';
ALTER TYPE monitor_type ADD VALUE IF NOT EXISTS 'dns';
ALTER TYPE ping_status ADD VALUE IF NOT EXISTS 'degraded';
