-- The relay takes unsent rows in id order (WHERE sent_at IS NULL AND next_attempt_at <= ?
-- ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED). With (sent_at, next_attempt_at, id) that was
-- a range on next_attempt_at and a filesort of every unsent row for each batch: under a
-- backlog, each batch cost more than the last (bench/messaging.sh: relay lag p50 95 s with
-- 30,000 unsent rows). With (sent_at, id, next_attempt_at) the rows come in id order from
-- the index, next_attempt_at is checked in the index, and the scan stops at the limit.
ALTER TABLE outbox DROP INDEX outbox_unsent, ADD INDEX outbox_unsent (sent_at, id, next_attempt_at);
