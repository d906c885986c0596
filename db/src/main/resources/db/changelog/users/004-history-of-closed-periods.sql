--liquibase formatted sql

--changeset onepg:users-004-history-of-closed-periods
-- A period goes into the history once it is closed, whole; a user's open period is its current row. Before this the
-- history also held the open period, and every event rewrote that row to close it: an update per event, the
-- costliest of the projection's writes, and a new row version whenever the row's page had no room left. Now the
-- history is only ever inserted into, so its pages are filled whole.
DELETE FROM users.user_history WHERE valid_to IS NULL;
ALTER TABLE users.user_history ALTER COLUMN valid_to SET NOT NULL;
ALTER TABLE users.user_history RESET (fillfactor);
--rollback ALTER TABLE users.user_history SET (fillfactor = 90);
--rollback ALTER TABLE users.user_history ALTER COLUMN valid_to DROP NOT NULL;
--rollback INSERT INTO users.user_history (user_id, version, username, email, created_at, valid_from, valid_to)
--rollback SELECT user_id, version, username, email, created_at, updated_at, NULL FROM users.current_users;
