--liquibase formatted sql

--changeset onepg:eventstore-002-projections
-- One row per projection: its checkpoint (transaction id, position) and what an operator needs to see.
CREATE TABLE eventstore.projections (
    name                  text        PRIMARY KEY,
    checkpoint_tx         xid8        NOT NULL DEFAULT '0'::xid8,
    checkpoint_position   bigint      NOT NULL DEFAULT 0,
    status                text        NOT NULL DEFAULT 'RUNNING',
    failed_event_id       uuid,
    last_error            text,
    leader                text,
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT projections_status_known CHECK (status IN ('RUNNING', 'PAUSED', 'FAILED'))
);
--rollback DROP TABLE eventstore.projections;

--changeset onepg:eventstore-002-applied-versions
-- Per projection and stream, the last version applied: "has this aggregate reached this view?" in one query.
CREATE TABLE eventstore.applied_versions (
    projection  text   NOT NULL REFERENCES eventstore.projections (name) ON DELETE CASCADE,
    stream_type text   NOT NULL,
    stream_id   text   NOT NULL,
    version     bigint NOT NULL,
    PRIMARY KEY (projection, stream_type, stream_id)
);
--rollback DROP TABLE eventstore.applied_versions;
