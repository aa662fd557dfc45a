ALTER TABLE monitor_region_states RESET (fillfactor);
