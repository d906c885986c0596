--liquibase formatted sql

--changeset onepg:eventstore-006-transaction-id-rebase splitStatements:false
-- Events stay immutable, with one maintenance path: after a restore into another cluster, the
-- `db rebase-transaction-ids` command moves the stored transaction ids below the new cluster's. It says so
-- with a transaction-local setting, and even then only transaction_id may change; nothing is deleted.
-- A function of its own (not a replaced one), so that the rollback needs no function body.
CREATE FUNCTION eventstore.refuse_event_change_but_rebase() RETURNS trigger
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
DROP TRIGGER events_immutable_rows ON eventstore.events;
CREATE TRIGGER events_immutable_rows
    BEFORE UPDATE OR DELETE ON eventstore.events
    FOR EACH ROW EXECUTE FUNCTION eventstore.refuse_event_change_but_rebase();
--rollback DROP TRIGGER events_immutable_rows ON eventstore.events;
--rollback CREATE TRIGGER events_immutable_rows BEFORE UPDATE OR DELETE ON eventstore.events FOR EACH ROW EXECUTE FUNCTION eventstore.refuse_event_change();
--rollback DROP FUNCTION eventstore.refuse_event_change_but_rebase();
