--liquibase formatted sql

--changeset onepg:users-001-schema
CREATE SCHEMA users;
--rollback DROP SCHEMA users;

--changeset onepg:users-001-current-users
-- The current state of every user that is not deleted, kept by the users aggregator.
CREATE TABLE users.current_users (
    user_id    uuid        PRIMARY KEY,
    username   text        NOT NULL,
    email      text        NOT NULL,
    version    bigint      NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX current_users_username_idx ON users.current_users (lower(username));
CREATE INDEX current_users_email_idx ON users.current_users (lower(email));
--rollback DROP TABLE users.current_users;
