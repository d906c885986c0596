package dev.onepg.eventstore;

/**
 * A value that at most one stream may hold at a time within a scope, such as an email among users. An append
 * claims or releases it in the same transaction as its events.
 */
public record UniqueKey(String scope, String value) {

    public UniqueKey {
        StreamId.requireText(scope, "unique key scope");
        StreamId.requireText(value, "unique key value");
    }
}
