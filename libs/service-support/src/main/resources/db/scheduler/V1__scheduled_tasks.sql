-- The table of db-scheduler, which runs the cluster-wide jobs once per slot across a
-- service's instances (ClusterScheduler): MySQL layout, times in UTC. Applied by
-- LibrarySchema after the service's own migrations (history: scheduler_schema_history);
-- IF NOT EXISTS, because services created before service-support shipped it made the
-- table in their own migrations.
CREATE TABLE IF NOT EXISTS scheduled_tasks (
    task_name            VARCHAR(100) NOT NULL,
    task_instance        VARCHAR(100) NOT NULL,
    task_data            BLOB,
    execution_time       DATETIME(6)  NOT NULL,
    picked               BOOLEAN      NOT NULL,
    picked_by            VARCHAR(50),
    last_success         DATETIME(6)  NULL,
    last_failure         DATETIME(6)  NULL,
    consecutive_failures INT,
    last_heartbeat       DATETIME(6)  NULL,
    version              BIGINT       NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance),
    KEY execution_time_idx (execution_time),
    KEY last_heartbeat_idx (last_heartbeat),
    KEY priority_execution_time_idx (priority, execution_time)
);
