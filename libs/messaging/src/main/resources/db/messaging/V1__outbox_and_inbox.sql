-- The tables of reliable messaging (libs/messaging), in every service that publishes or
-- consumes: applied by LibrarySchema (service-support) right after the service's own migrations, with
-- their own history table (messaging_schema_history). IF NOT EXISTS: services created
-- before this library shipped its schema made these tables in their own migrations.

-- Events written in the transaction of the change they report; `sent_at` is set only
-- after the broker confirmed the message. The relay takes unsent rows in id order with
-- FOR UPDATE SKIP LOCKED (WHERE sent_at IS NULL AND next_attempt_at <= ? ORDER BY id):
-- with (sent_at, id, next_attempt_at) the rows come in id order from the index,
-- next_attempt_at is checked in the index, and the scan stops at the limit.
CREATE TABLE IF NOT EXISTS outbox (
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
    KEY outbox_unsent (sent_at, id, next_attempt_at)
);

-- Ids of the messages consumed, written in the same transaction as their effects.
CREATE TABLE IF NOT EXISTS inbox (
    message_id   CHAR(36) CHARACTER SET ascii NOT NULL,
    processed_at DATETIME(3) NOT NULL,
    PRIMARY KEY (message_id),
    KEY inbox_age (processed_at)
);
