--liquibase formatted sql

--changeset onepg:eventstore-009-drop-correlation-index
-- Nothing reads events by correlation id, and every append paid for the index: a request's correlation id is
-- random, so each row went to a random leaf of an index as large as the log's ids, far larger than the buffer
-- cache once the log grows (a third of a combined insert's time on a log of five million events). A deployment
-- that looks events up by correlation id creates the index it needs.
DROP INDEX eventstore.events_correlation_idx;
--rollback CREATE INDEX IF NOT EXISTS events_correlation_idx ON eventstore.events (correlation_id) WHERE correlation_id IS NOT NULL;
