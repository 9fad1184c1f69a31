-- Trace retention walks traces_by_workflow (workflow_id, started_at) one workflow at a time (JdbcWorkflowStore.
-- deleteTracesBefore); an index on started_at alone cost every run's commit a B-tree page for an hourly delete.
DROP INDEX traces_by_start;
