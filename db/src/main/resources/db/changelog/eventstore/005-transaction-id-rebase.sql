--liquibase formatted sql

--changeset onepg:eventstore-005-transaction-id-rebase splitStatements:false
-- Events stay immutable, with one maintenance path: after a restore into another cluster, the
-- `db rebase-transaction-ids` command moves the stored transaction ids below the new cluster's. It says so
-- with a transaction-local setting, and even then only transaction_id may change, and nothing is deleted.
CREATE OR REPLACE FUNCTION eventstore.refuse_event_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    rebased eventstore.events;
BEGIN
    IF TG_OP = 'UPDATE'
            AND current_setting('onepg.maintenance', true) = 'rebase-transaction-ids' THEN
        rebased := NEW;
        rebased.transaction_id := OLD.transaction_id;
        IF rebased IS NOT DISTINCT FROM OLD THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'events are immutable: a transaction id rebase may change transaction_id only'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RAISE EXCEPTION 'events are immutable: % on eventstore.events is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
--rollback CREATE OR REPLACE FUNCTION eventstore.refuse_event_change() RETURNS trigger
--rollback LANGUAGE plpgsql AS $$
--rollback BEGIN
--rollback     RAISE EXCEPTION 'events are immutable: % on eventstore.events is not allowed', TG_OP
--rollback         USING ERRCODE = 'restrict_violation';
--rollback END;
--rollback $$;
