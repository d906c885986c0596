package dev.onepg.eventstore;

/** Another stream holds the unique key that an append tried to claim. */
public final class UniqueKeyTaken extends EventStoreException {

    private final UniqueKey key;

    public UniqueKeyTaken(UniqueKey key) {
        super(key.scope() + " '" + key.value() + "' is already taken");
        this.key = key;
    }

    public UniqueKey key() {
        return key;
    }
}
