-- The worker-service's schema `worker` (MySQL 8.4 and MariaDB 10.11). Times are UTC,
-- DATETIME(3). Money is integer cents.

-- Ids of the messages consumed, written in the same transaction as their effects: a
-- redelivered or duplicated message finds its id here and changes nothing.
CREATE TABLE inbox (
    message_id   CHAR(36) CHARACTER SET ascii NOT NULL,
    processed_at DATETIME(3) NOT NULL,
    PRIMARY KEY (message_id),
    KEY inbox_age (processed_at)
);

-- Events (order.processed) written in the transaction of the decision; published by the
-- relay, marked sent after the broker's confirmation (see libs/messaging).
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

-- What the worker knows of each order: what it was asked to authorise and how it ended.
-- A cancellation may arrive before the placement (separate queues): the row then starts
-- CANCELLED without placed_at, and the placement authorises nothing.
CREATE TABLE order_state (
    order_id    CHAR(36) CHARACTER SET ascii NOT NULL,
    user_id     BIGINT       NOT NULL,
    total_cents BIGINT       NULL,
    placed_at   DATETIME(3)  NULL,
    status      VARCHAR(16)  NOT NULL,
    reason      VARCHAR(200) NULL,
    payment_id  VARCHAR(64) CHARACTER SET ascii NULL,
    updated_at  DATETIME(3)  NOT NULL,
    PRIMARY KEY (order_id),
    KEY order_state_by_day (placed_at)
);

-- The payment simulator's ledger: one row per authorisation it granted, voided when the
-- order is cancelled. Deliberately no unique key on order_id: "one authorisation per
-- order" is what the inbox and the order_state lock guarantee, and what tests count.
CREATE TABLE payment_authorization (
    id            VARCHAR(64) CHARACTER SET ascii NOT NULL,
    order_id      CHAR(36) CHARACTER SET ascii NOT NULL,
    amount_cents  BIGINT      NOT NULL,
    status        VARCHAR(16) NOT NULL,
    authorized_at DATETIME(3) NOT NULL,
    voided_at     DATETIME(3) NULL,
    PRIMARY KEY (id),
    KEY payment_by_order (order_id)
);

-- Messages no consumer could process, drained from the `dead-letters` queue for
-- operators (GET /api/admin/dead-letters, POST .../{id}/replay). dead_letter_key makes
-- the drain idempotent (a redelivered dead letter is stored once).
CREATE TABLE dead_letter (
    id               BIGINT        NOT NULL AUTO_INCREMENT,
    dead_letter_key  VARCHAR(160) CHARACTER SET ascii NOT NULL,
    message_id       VARCHAR(100)  NULL,
    message_type     VARCHAR(100)  NULL,
    exchange         VARCHAR(255)  NULL,
    routing_key      VARCHAR(255)  NULL,
    queue            VARCHAR(255)  NULL,
    error            VARCHAR(1000) NOT NULL,
    attempts         INT           NOT NULL,
    payload          MEDIUMBLOB    NOT NULL,
    content_type     VARCHAR(100)  NULL,
    traceparent      VARCHAR(64) CHARACTER SET ascii NULL,
    dead_lettered_at DATETIME(3)   NOT NULL,
    replayed_at      DATETIME(3)   NULL,
    PRIMARY KEY (id),
    UNIQUE KEY dead_letter_once (dead_letter_key),
    KEY dead_letter_recent (dead_lettered_at)
);

-- One row per UTC date, rewritten when computed again (idempotent).
CREATE TABLE daily_report (
    report_date   DATE        NOT NULL,
    orders        INT         NOT NULL,
    confirmed     INT         NOT NULL,
    rejected      INT         NOT NULL,
    cancelled     INT         NOT NULL,
    revenue_cents BIGINT      NOT NULL,
    generated_at  DATETIME(3) NOT NULL,
    PRIMARY KEY (report_date)
);

-- Every run of a scheduled job, with the slot (scheduled time) it ran for and the
-- instance that ran it: "one run per slot" is checked against this log.
CREATE TABLE job_run (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    job         VARCHAR(100) NOT NULL,
    slot        DATETIME(3)  NOT NULL,
    instance    VARCHAR(100) NOT NULL,
    started_at  DATETIME(3)  NOT NULL,
    finished_at DATETIME(3)  NULL,
    PRIMARY KEY (id),
    KEY job_run_slot (job, slot)
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
