-- Schemas and accounts of the platform, run once on the PRIMARY with binary logging on,
-- so that the replica receives them through replication (docker compose: mysql-init container;
-- local MariaDB pair: scripts/infra.sh; tests with Docker: the test harness).
-- Valid on MySQL 8.4 and MariaDB 10.11. Each service owns exactly one schema.
-- The passwords are the local/demo defaults; Kubernetes overlays take them from Secrets.

CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'repl';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';

CREATE DATABASE IF NOT EXISTS orders CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS accounts CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS worker CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE USER IF NOT EXISTS 'orders'@'%' IDENTIFIED BY 'orders';
GRANT ALL PRIVILEGES ON orders.* TO 'orders'@'%';
CREATE USER IF NOT EXISTS 'accounts'@'%' IDENTIFIED BY 'accounts';
GRANT ALL PRIVILEGES ON accounts.* TO 'accounts'@'%';
CREATE USER IF NOT EXISTS 'worker'@'%' IDENTIFIED BY 'worker';
GRANT ALL PRIVILEGES ON worker.* TO 'worker'@'%';
