--liquibase formatted sql

--changeset onepg:eventstore-007-drop-applied-versions
-- Nothing read the last applied version per stream: readers wait for a position instead
-- (ProjectionProgress.hasReached), and writing it cost every batch a statement.
DROP TABLE eventstore.applied_versions;
--rollback CREATE TABLE eventstore.applied_versions (
--rollback     projection  text   NOT NULL REFERENCES eventstore.projections (name) ON DELETE CASCADE,
--rollback     stream_type text   NOT NULL,
--rollback     stream_id   text   NOT NULL,
--rollback     version     bigint NOT NULL,
--rollback     PRIMARY KEY (projection, stream_type, stream_id)
--rollback );
