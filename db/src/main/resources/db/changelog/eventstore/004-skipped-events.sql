--liquibase formatted sql

--changeset onepg:eventstore-004-skipped-events
-- Events an operator told a projection to pass over, with who did it and why: a skip is never silent.
CREATE TABLE eventstore.skipped_events (
    projection  text        NOT NULL,
    event_id    uuid        NOT NULL,
    reason      text        NOT NULL,
    skipped_by  text,
    skipped_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, event_id),
    CONSTRAINT skipped_events_reason_not_blank CHECK (length(reason) > 0)
);
--rollback DROP TABLE eventstore.skipped_events;
