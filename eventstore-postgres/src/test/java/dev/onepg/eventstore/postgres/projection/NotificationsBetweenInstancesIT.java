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
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code NOTIFY} is a transaction of the notifier and a wake-up of every listener. An instance wakes its own runners
 * directly, so while it is the only one listening its notifier sends nothing; once another instance listens, that
 * one hears the appends within about a second.
 */
class NotificationsBetweenInstancesIT {

    private static final String CHANNEL = "onepg_test";

    private final ProjectionTestDatabase db = new ProjectionTestDatabase();

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void anInstanceAloneNotifiesNobodyAndAnotherThatStartsListeningHearsItsAppends() throws Exception {
        String own = ListeningConnections.applicationName("own-instance");
        AtomicInteger localWakeUps = new AtomicInteger();
        NotificationListener ownListener =
                db.track(new NotificationListener(listening(own), CHANNEL, () -> {}, Duration.ofMillis(200)));
        eventually(ownListener::isListening);
        CoalescingNotifier notifier = db.track(new CoalescingNotifier(
                db.dataSource, CHANNEL, committedBy -> localWakeUps.incrementAndGet(), Duration.ofMillis(1), own));
        PostgresEventStore store = new PostgresEventStore(db.dataSource, notifier);

        for (int i = 0; i < 20; i++) {
            append(store);
            Thread.sleep(20);
        }

        assertThat(localWakeUps).hasValue(20);
        assertThat(notifier.sent()).isZero();
        assertThat(ownListener.notificationsReceived()).isZero();

        NotificationListener otherListener = db.track(new NotificationListener(
                listening(ListeningConnections.applicationName("other-instance")),
                CHANNEL,
                () -> {},
                Duration.ofMillis(200)));
        eventually(otherListener::isListening);
        long started = System.nanoTime();
        eventually(() -> {
            append(store);
            return otherListener.notificationsReceived() > 0;
        });

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(notifier.sent()).isPositive();
        assertThat(ownListener.notificationsReceived()).isPositive();
    }

    private DataSource listening(String applicationName) {
        return ListeningConnections.of(
                db.dataSource.getJdbcUrl(),
                db.dataSource.getUsername(),
                db.dataSource.getPassword(),
                Duration.ofSeconds(5),
                applicationName);
    }

    private static void append(PostgresEventStore store) {
        store.append(
                StreamId.of("thing", UUID.randomUUID().toString()),
                ExpectedVersion.noStream(),
                List.of(NewEvent.of(UUID.randomUUID(), "Happened", "{}")));
    }
}
