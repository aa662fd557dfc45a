-- Incident state rows are updated in place often: leave room on each page so updates stay on it (HOT updates,
-- no index churn).
ALTER TABLE monitor_region_states SET (fillfactor = 70);
