-- Accounts of the platform (schema `accounts`, MySQL 8.4 and MariaDB 10.11).
CREATE TABLE account (
    id            BIGINT       NOT NULL AUTO_INCREMENT,
    username      VARCHAR(32)  NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    roles         VARCHAR(64)  NOT NULL,
    created_at    DATETIME(3)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT account_username UNIQUE (username)
);
