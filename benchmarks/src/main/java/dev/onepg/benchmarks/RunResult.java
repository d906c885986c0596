package dev.onepg.benchmarks;

import org.jspecify.annotations.Nullable;

/**
 * What one run measured.
 *
 * @param measuredAppends appends that returned inside the measurement window
 * @param windowNanos the length of the measurement window
 * @param appendLatency how long each measured append took, as its caller saw it
 * @param viewLag from each measured event's append returning to the projection applying it (negative when the
 *     projection was faster than the append's response)
 * @param missing measured events the projection had not applied when the run gave up waiting
 * @param notifySent notifications sent during the whole run (warm-up included): by the notifier in d, by the
 *     trigger in b (one per row) and c (one per append)
 * @param notifyReceived notifications the listener received during the whole run
 * @param listener the listener's {@code getNotifications} calls that returned in the measurement window
 * @param viewBatches transactions the projection runner committed during the whole run
 * @param drainNanos how long the projection took to apply the rest after the appenders stopped
 * @param loadBefore the one-minute load average of the machine when the run started
 */
record RunResult(
        int round,
        Variant variant,
        int appenders,
        long measuredAppends,
        long measuredEvents,
        long windowNanos,
        Distribution appendLatency,
        Distribution viewLag,
        long missing,
        long failures,
        @Nullable String firstFailure,
        long notifySent,
        long notifyReceived,
        ListenerStatistics listener,
        long viewBatches,
        long drainNanos,
        double loadBefore) {

    double appendsPerSecond() {
        return measuredAppends / (windowNanos / 1e9);
    }
}
