--liquibase formatted sql

--changeset onepg:users-003-views-cheap-to-write
-- The projection rewrites a current_users row and closes a user_history period for every event. No query used the
-- lower(username) and lower(email) indexes (the search matches anywhere in the text, which a B-tree cannot serve),
-- and valid_to in the validity index made every close of a period a new row version with new index entries. With
-- only keys and valid_from indexed, and room left on each page, both writes can be heap-only (HOT) updates.
-- The room applies to pages written from now on; a rebuild of the views writes all of them so.
DROP INDEX users.current_users_username_idx;
DROP INDEX users.current_users_email_idx;
DROP INDEX users.user_history_validity_idx;
CREATE INDEX user_history_valid_from_idx ON users.user_history (valid_from);
ALTER TABLE users.current_users SET (fillfactor = 90);
ALTER TABLE users.user_history SET (fillfactor = 90);
--rollback ALTER TABLE users.user_history RESET (fillfactor);
--rollback ALTER TABLE users.current_users RESET (fillfactor);
--rollback DROP INDEX users.user_history_valid_from_idx;
--rollback CREATE INDEX user_history_validity_idx ON users.user_history (valid_from, valid_to);
--rollback CREATE INDEX current_users_email_idx ON users.current_users (lower(email));
--rollback CREATE INDEX current_users_username_idx ON users.current_users (lower(username));
