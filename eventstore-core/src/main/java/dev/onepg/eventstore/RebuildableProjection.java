package dev.onepg.eventstore;

/**
 * A projection whose views can be rebuilt from the first event beside the live ones, which keep serving reads,
 * and then switched to in one transaction (blue/green).
 */
public interface RebuildableProjection extends Projection {

    /** The same projection, writing to the next views instead of the live ones. */
    Projection next();

    /**
     * The same projection, writing to the next views while the rebuild loads the bulk of the log into them: it may
     * leave work for {@link #finishNext}, which runs before any event is applied through {@link #next()}.
     */
    default Projection bulkLoadNext() {
        return next();
    }

    /**
     * Whether the bulk load may hand {@link #bulkLoadNext()} the log stream by stream instead of in log order:
     * every batch holds whole streams, each stream's events in version order, the streams in no particular order,
     * and the checkpoint moves only once every batch is in. True only for a projection whose rows for a stream follow
     * from that stream's events alone. The log then comes in one sequential read, and a stream's earlier rows
     * never have to be looked up.
     */
    default boolean bulkLoadsByStream() {
        return false;
    }

    /** Creates the next views, empty, ready for a bulk load; leftovers of an earlier rebuild are dropped first. */
    void prepareNext(ProjectionTransaction transaction) throws Exception;

    /**
     * Ends the bulk load of the next views: builds what {@link #prepareNext} left out to load faster (indexes).
     * The next views then take the last events in ordinary batches before {@link #promoteNext}.
     */
    void finishNext(ProjectionTransaction transaction) throws Exception;

    /** Makes the next views the live ones and drops the old ones, within the transaction. */
    void promoteNext(ProjectionTransaction transaction) throws Exception;

    /** Drops the next views: the rebuild was abandoned. */
    void discardNext(ProjectionTransaction transaction) throws Exception;
}
