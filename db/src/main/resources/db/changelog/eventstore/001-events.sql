--liquibase formatted sql

--changeset onepg:eventstore-001-schema
CREATE SCHEMA eventstore;
--rollback DROP SCHEMA eventstore;

--changeset onepg:eventstore-001-events
-- transaction_id orders the global log: readers stop below the oldest open transaction,
-- so an event that commits late is never skipped (see the gap-free reader).
CREATE TABLE eventstore.events (
    position       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id xid8        NOT NULL DEFAULT pg_current_xact_id(),
    event_id       uuid        NOT NULL,
    stream_type    text        NOT NULL,
    stream_id      text        NOT NULL,
    version        bigint      NOT NULL,
    event_type     text        NOT NULL,
    schema_version integer     NOT NULL DEFAULT 1,
    payload        jsonb       NOT NULL,
    actor          text,
    correlation_id text,
    causation_id   text,
    headers        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_event_id_key UNIQUE (event_id),
    CONSTRAINT events_stream_version_key UNIQUE (stream_type, stream_id, version),
    CONSTRAINT events_version_positive CHECK (version > 0),
    CONSTRAINT events_schema_version_positive CHECK (schema_version > 0),
    CONSTRAINT events_stream_type_not_blank CHECK (length(stream_type) > 0),
    CONSTRAINT events_stream_id_not_blank CHECK (length(stream_id) > 0),
    CONSTRAINT events_event_type_not_blank CHECK (length(event_type) > 0)
);
CREATE INDEX events_global_order_idx ON eventstore.events (transaction_id, position);
CREATE INDEX events_correlation_idx ON eventstore.events (correlation_id) WHERE correlation_id IS NOT NULL;
--rollback DROP TABLE eventstore.events;

--changeset onepg:eventstore-001-immutable splitStatements:false
CREATE FUNCTION eventstore.refuse_event_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are immutable: % on eventstore.events is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER events_immutable_rows
    BEFORE UPDATE OR DELETE ON eventstore.events
    FOR EACH ROW EXECUTE FUNCTION eventstore.refuse_event_change();
CREATE TRIGGER events_immutable_table
    BEFORE TRUNCATE ON eventstore.events
    FOR EACH STATEMENT EXECUTE FUNCTION eventstore.refuse_event_change();
--rollback DROP TRIGGER events_immutable_table ON eventstore.events;
--rollback DROP TRIGGER events_immutable_rows ON eventstore.events;
--rollback DROP FUNCTION eventstore.refuse_event_change();
