--liquibase formatted sql

--changeset onepg:eventstore-008-unique-key-taken splitStatements:false
-- Lets an append that changes unique keys run as one statement: the statement calls this for a claimed key that
-- another stream holds, and the error rolls the whole append back. DETAIL carries the key's ordinal among the
-- append's claims, so the caller can name it.
CREATE FUNCTION eventstore.unique_key_taken(ordinal integer) RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'claim % of the append is a unique key that another stream holds', ordinal
        USING ERRCODE = 'OPG01', DETAIL = ordinal::text;
END;
$$;
--rollback DROP FUNCTION eventstore.unique_key_taken(integer);
