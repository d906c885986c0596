package dev.onepg.eventstore.postgres.projection;

/**
 * Events read before their batch's transaction no longer follow on from the checkpoint: it was moved meanwhile, the
 * lease was lost or the projection no longer runs. Nothing of the batch commits; the runner reads again from where
 * the checkpoint is. Unchecked, so that it rolls back the jOOQ transaction it is thrown in.
 */
final class StaleRead extends RuntimeException {

    StaleRead(String message) {
        super(message, null, false, false);
    }
}
