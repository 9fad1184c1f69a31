-- Traces are pruned by age (PARLEY_TRACE_RETENTION_DAYS); this index keeps the periodic delete from scanning.
CREATE INDEX traces_by_start ON traces (started_at);
