package dev.onepg.eventstore.postgres.projection;

import static dev.onepg.eventstore.postgres.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.notification.CoalescingNotifier;
import dev.onepg.eventstore.postgres.notification.ListeningConnections;
import dev.onepg.eventstore.postgres.notification.NotificationListener;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every {@code NOTIFY} is a transaction on the server, so a steady stream of appends is announced once per interval,
 * not once per append; each append still wakes the local runners at once, and an append after a quiet spell is
 * announced.
 */
class CoalescedNotificationsIT {

    private static final String CHANNEL = "onepg_coalescing_test";
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private final ProjectionTestDatabase db = new ProjectionTestDatabase();

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void aStreamOfAppendsIsAnnouncedAtMostOncePerIntervalAndAnAppendAfterItIsAnnouncedToo() throws Exception {
        NotificationListener listener = db.track(new NotificationListener(
                ListeningConnections.of(
                        db.dataSource.getJdbcUrl(),
                        db.dataSource.getUsername(),
                        db.dataSource.getPassword(),
                        Duration.ofSeconds(5),
                        ListeningConnections.applicationName("listening-instance")),
                CHANNEL,
                () -> {},
                Duration.ofMillis(200)));
        eventually(listener::isListening);
        AtomicInteger localWakeUps = new AtomicInteger();
        CoalescingNotifier notifier = db.track(new CoalescingNotifier(
                db.dataSource, CHANNEL, committedBy -> localWakeUps.incrementAndGet(), INTERVAL));
        PostgresEventStore store = new PostgresEventStore(db.dataSource, notifier);

        long started = System.nanoTime();
        int appends = 0;
        while (System.nanoTime() - started < Duration.ofMillis(600).toNanos()) {
            append(store);
            appends++;
        }
        long mostNotifications = Duration.ofNanos(System.nanoTime() - started).toMillis() / INTERVAL.toMillis() + 2;
        long sentWhileAppending = notifier.sent();

        assertThat(localWakeUps).hasValue(appends);
        assertThat(appends).isGreaterThan((int) mostNotifications * 2);
        assertThat(sentWhileAppending).isBetween(1L, mostNotifications);

        Thread.sleep(INTERVAL.multipliedBy(3));
        long heardBefore = listener.notificationsReceived();
        append(store);
        eventually(() -> listener.notificationsReceived() > heardBefore);
    }

    private static void append(PostgresEventStore store) {
        store.append(
                StreamId.of("thing", UUID.randomUUID().toString()),
                ExpectedVersion.noStream(),
                List.of(NewEvent.of(UUID.randomUUID(), "Happened", "{}")));
    }
}
