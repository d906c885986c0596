--liquibase formatted sql

--changeset onepg:eventstore-003-unique-keys
-- Values that must be unique across streams (an email among users), claimed and released by appends in
-- the same transaction as their events, so that two racing appends cannot both take one value.
CREATE TABLE eventstore.unique_keys (
    scope       text NOT NULL,
    value       text NOT NULL,
    stream_type text NOT NULL,
    stream_id   text NOT NULL,
    PRIMARY KEY (scope, value)
);
CREATE INDEX unique_keys_owner_idx ON eventstore.unique_keys (stream_type, stream_id);
--rollback DROP TABLE eventstore.unique_keys;
