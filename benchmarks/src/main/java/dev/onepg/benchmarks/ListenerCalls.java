package dev.onepg.benchmarks;

/**
 * The NotificationListener's wake-ups, recorded from its wake-up callback: when each {@code getNotifications} call
 * returned with notifications, and how many notifications the listener had received by then (it counts a call's
 * notifications just before it calls back).
 */
final class ListenerCalls {

    private final LongList times = new LongList();
    private final LongList received = new LongList();

    synchronized void record(long receivedSoFar) {
        times.add(System.nanoTime());
        received.add(receivedSoFar);
    }

    /** The calls that returned in the window; each one's duration is the time since the one before. */
    synchronized ListenerStatistics between(long from, long until) {
        LongList gaps = new LongList();
        long calls = 0;
        long notifications = 0;
        long maxGap = 0;
        long notificationsInMaxGap = 0;
        long maxNotifications = 0;
        for (int i = 1; i < times.size(); i++) {
            long time = times.get(i);
            if (time < from || time >= until) {
                continue;
            }
            long gap = time - times.get(i - 1);
            long inCall = received.get(i) - received.get(i - 1);
            calls++;
            notifications += inCall;
            gaps.add(gap);
            maxNotifications = Math.max(maxNotifications, inCall);
            if (gap > maxGap) {
                maxGap = gap;
                notificationsInMaxGap = inCall;
            }
        }
        return new ListenerStatistics(
                calls, notifications, Distribution.of(gaps.toArray()), notificationsInMaxGap, maxNotifications);
    }

    /**
     * For each notification sent at the given times (all of them, sorted: the server delivers them in commit order,
     * which is close to the order in which the senders' calls returned), the delay until the listener returned with
     * it; only for those sent in the window.
     */
    synchronized Distribution deliveryDelays(long[] sortedSendTimes, long from, long until) {
        LongList delays = new LongList();
        int call = 0;
        for (int n = 0; n < sortedSendTimes.length; n++) {
            while (call < times.size() && received.get(call) < n + 1) {
                call++;
            }
            if (call == times.size()) {
                break;
            }
            long sentAt = sortedSendTimes[n];
            if (sentAt >= from && sentAt < until) {
                delays.add(times.get(call) - sentAt);
            }
        }
        return Distribution.of(delays.toArray());
    }
}
