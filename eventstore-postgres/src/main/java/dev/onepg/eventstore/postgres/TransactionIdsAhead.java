package dev.onepg.eventstore.postgres;

/**
 * The database holds transaction ids at or above the cluster's next one: it was restored or moved into another
 * cluster. New appends would sort before the restored events, so readers past a restored checkpoint would miss
 * them; the service refuses to start until the ids are rebased.
 */
public final class TransactionIdsAhead extends RuntimeException {

    /** The command that rebases the stored ids. */
    public static final String FIX = "java -jar onepg.jar db rebase-transaction-ids";

    private final long highestStored;
    private final long clusterNext;

    TransactionIdsAhead(long highestStored, long clusterNext) {
        super("The database holds transaction ids up to " + highestStored
                + " from another cluster, at or above this cluster's next transaction id " + clusterNext
                + ": it was restored or moved. New events would be ordered before the restored ones. Stop every"
                + " instance and run once: " + FIX);
        this.highestStored = highestStored;
        this.clusterNext = clusterNext;
    }

    public long highestStored() {
        return highestStored;
    }

    public long clusterNext() {
        return clusterNext;
    }
}
