-- The users the wrk script writes to, created directly in the log (psql -v users=N -f seed-users.sql): user n has
-- the id 00000000-0000-4000-8000-<n in 12 hex digits>, the name user<n> and the email user<n>@example.org.
INSERT INTO eventstore.events (event_id, stream_type, stream_id, version, event_type, payload)
SELECT gen_random_uuid(), 'user', format('00000000-0000-4000-8000-%s', lpad(to_hex(n), 12, '0')), 1, 'UserCreated',
       jsonb_build_object('username', 'user' || n, 'email', 'user' || n || '@example.org',
                          'passwordHash', '$argon2id$v=19$m=16384,t=2,p=1$c2VlZGVkLXNhbHQ$c2VlZGVkLWhhc2g')
FROM generate_series(1, :users) n;
INSERT INTO eventstore.unique_keys (scope, value, stream_type, stream_id)
SELECT 'user-email', 'user' || n || '@example.org', 'user', format('00000000-0000-4000-8000-%s', lpad(to_hex(n), 12, '0'))
FROM generate_series(1, :users) n;
VACUUM ANALYZE eventstore.events;
VACUUM ANALYZE eventstore.unique_keys;
