--liquibase formatted sql

--changeset onepg:users-002-user-history
-- Every state each user has been in, with the period it was valid: the list "as it was" at any instant.
CREATE TABLE users.user_history (
    user_id    uuid        NOT NULL,
    version    bigint      NOT NULL,
    username   text        NOT NULL,
    email      text        NOT NULL,
    created_at timestamptz NOT NULL,
    valid_from timestamptz NOT NULL,
    valid_to   timestamptz,
    PRIMARY KEY (user_id, version),
    CONSTRAINT user_history_period CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX user_history_validity_idx ON users.user_history (valid_from, valid_to);
--rollback DROP TABLE users.user_history;
