package dev.onepg.benchmarks;

/**
 * The NotificationListener's {@code getNotifications} calls that returned with notifications in the measurement
 * window.
 *
 * @param calls how many returned
 * @param notifications how many notifications they brought
 * @param gaps the time between one return and the one before: under a steady stream of notifications, how long a
 *     call kept collecting before it returned (pgjdbc waits about 1 ms after each notification for the next)
 * @param notificationsInLongestGap how many notifications the call that ended the longest gap brought: many mean
 *     that the call kept collecting; one or none mean that nothing arrived meanwhile
 * @param mostNotificationsInOneCall the largest number of notifications that one call brought
 */
record ListenerStatistics(
        long calls,
        long notifications,
        Distribution gaps,
        long notificationsInLongestGap,
        long mostNotificationsInOneCall) {}
