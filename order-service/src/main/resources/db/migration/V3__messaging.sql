-- Reliable messaging of the order-service (see libs/messaging): the outbox the relay
-- publishes from, the inbox of consumed message ids, and db-scheduler's table for the
-- cluster-wide jobs (one run per slot across instances).

-- Events written in the transaction of the change they report; `sent_at` is set only
-- after the broker confirmed the message. The relay takes unsent rows in id order with
-- FOR UPDATE SKIP LOCKED.
CREATE TABLE outbox (
    id              BIGINT       NOT NULL AUTO_INCREMENT,
    message_id      CHAR(36) CHARACTER SET ascii NOT NULL,
    exchange        VARCHAR(64)  NOT NULL,
    routing_key     VARCHAR(64)  NOT NULL,
    message_type    VARCHAR(64)  NOT NULL,
    payload         MEDIUMBLOB   NOT NULL,
    traceparent     VARCHAR(64) CHARACTER SET ascii NULL,
    created_at      DATETIME(3)  NOT NULL,
    attempts        INT          NOT NULL DEFAULT 0,
    next_attempt_at DATETIME(3)  NOT NULL,
    sent_at         DATETIME(3)  NULL,
    last_error      VARCHAR(500) NULL,
    PRIMARY KEY (id),
    KEY outbox_unsent (sent_at, next_attempt_at, id)
);

-- Ids of the messages consumed, written in the same transaction as their effects.
CREATE TABLE inbox (
    message_id   CHAR(36) CHARACTER SET ascii NOT NULL,
    processed_at DATETIME(3) NOT NULL,
    PRIMARY KEY (message_id),
    KEY inbox_age (processed_at)
);

-- db-scheduler (MySQL layout; times in UTC).
CREATE TABLE scheduled_tasks (
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
