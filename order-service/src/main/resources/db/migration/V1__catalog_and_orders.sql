-- Catalog and orders of the order-service (schema `orders`, MySQL 8.4 and MariaDB 10.11).
-- Times are UTC, DATETIME(3). Money is integer cents.

CREATE TABLE product (
    sku              VARCHAR(32)  NOT NULL,
    name             VARCHAR(200) NOT NULL,
    unit_price_cents BIGINT       NOT NULL,
    stock            INT          NOT NULL,
    version          BIGINT       NOT NULL DEFAULT 0,
    updated_at       DATETIME(3)  NOT NULL,
    PRIMARY KEY (sku),
    CONSTRAINT product_price_not_negative CHECK (unit_price_cents >= 0),
    CONSTRAINT product_stock_not_negative CHECK (stock >= 0)
);

-- `order` is a reserved word
CREATE TABLE purchase_order (
    id             CHAR(36) CHARACTER SET ascii NOT NULL,
    user_id        BIGINT       NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    total_cents    BIGINT       NOT NULL,
    failure_reason VARCHAR(200) NULL,
    payment_id     VARCHAR(64)  NULL,
    created_at     DATETIME(3)  NOT NULL,
    updated_at     DATETIME(3)  NOT NULL,
    version        INT          NOT NULL,
    PRIMARY KEY (id),
    KEY purchase_order_by_user (user_id, created_at, id),
    KEY purchase_order_by_user_status (user_id, status, created_at, id),
    KEY purchase_order_by_status (status, created_at)
);

CREATE TABLE order_item (
    order_id         CHAR(36) CHARACTER SET ascii NOT NULL,
    line_no          INT         NOT NULL,
    sku              VARCHAR(32) NOT NULL,
    quantity         INT         NOT NULL,
    unit_price_cents BIGINT      NOT NULL,
    PRIMARY KEY (order_id, line_no),
    CONSTRAINT order_item_order FOREIGN KEY (order_id) REFERENCES purchase_order (id)
);

-- Idempotency-Key per user: the first request's hash and order; a concurrent duplicate
-- waits on this row's lock until the first commits (then finds it) or rolls back.
CREATE TABLE idempotency_key (
    user_id          BIGINT       NOT NULL,
    idempotency_key  VARCHAR(255) NOT NULL,
    request_hash     CHAR(64) CHARACTER SET ascii NOT NULL,
    order_id         CHAR(36) CHARACTER SET ascii NOT NULL,
    created_at       DATETIME(3)  NOT NULL,
    expires_at       DATETIME(3)  NOT NULL,
    PRIMARY KEY (user_id, idempotency_key),
    KEY idempotency_key_expiry (expires_at)
);
