package dev.onepg.eventstore;

/** A specific reason why the event store refused a request; each subtype maps to one answer for a client. */
public abstract sealed class EventStoreException extends RuntimeException
        permits WrongExpectedVersion, DuplicateEventId, UniqueKeyTaken {

    protected EventStoreException(String message) {
        super(message);
    }
}
