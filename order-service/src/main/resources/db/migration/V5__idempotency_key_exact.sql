-- Idempotency keys are compared byte for byte. Under the schema's default collation (utf8mb4_unicode_ci)
-- `Key-A`, `key-a` and `key-a ` were one key: a client's second order was answered with its first.
-- VARBINARY rather than a binary collation: utf8mb4_bin still ignores trailing spaces (PAD SPACE) on
-- both MariaDB and MySQL. 1020 bytes hold the 255 characters the API allows.
ALTER TABLE idempotency_key MODIFY idempotency_key VARBINARY(1020) NOT NULL;
