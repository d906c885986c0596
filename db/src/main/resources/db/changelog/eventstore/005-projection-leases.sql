--liquibase formatted sql

--changeset onepg:eventstore-005-projection-leases
-- Leadership of a projection is a lease, not a session: the owner renews lease_expires_at (database clock) while
-- it makes progress; whoever takes an expired lease raises lease_generation, and every batch commits only while
-- its owner and generation still match, so a leader that was paused and lost the lease cannot commit.
ALTER TABLE eventstore.projections
    ADD COLUMN lease_owner      text,
    ADD COLUMN lease_generation bigint NOT NULL DEFAULT 0,
    ADD COLUMN lease_expires_at timestamptz;
--rollback ALTER TABLE eventstore.projections DROP COLUMN lease_expires_at, DROP COLUMN lease_generation, DROP COLUMN lease_owner;
