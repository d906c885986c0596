package dev.onepg.eventstore;

/**
 * A place in the global log: the writing transaction's id and the event's position.
 *
 * <p>Events are delivered in this order, which is commit-safe: a transaction that took a lower position but
 * committed later is never skipped, because readers stop below the oldest transaction still open.
 */
public record Checkpoint(long transactionId, long position) implements Comparable<Checkpoint> {

    /** Before the first event. */
    public static final Checkpoint START = new Checkpoint(0, 0);

    public Checkpoint {
        if (transactionId < 0 || position < 0) {
            throw new IllegalArgumentException("a checkpoint cannot be negative: " + transactionId + "/" + position);
        }
    }

    @Override
    public int compareTo(Checkpoint other) {
        int byTransaction = Long.compare(transactionId, other.transactionId);
        return byTransaction != 0 ? byTransaction : Long.compare(position, other.position);
    }

    public boolean isAfter(Checkpoint other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return transactionId + "/" + position;
    }
}
