package dev.onepg.eventstore.postgres.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WakeUpSignalTest {

    private static final Duration SHORT = Duration.ofMillis(50);

    private final WakeUpSignal signal = new WakeUpSignal();

    @Test
    void aSignalGivenWhileNobodyWaitsWakesTheNextWaitOnce() throws Exception {
        signal.signal();

        assertThat(signal.await(SHORT)).isTrue();
        assertThat(signal.await(SHORT)).isFalse();
    }

    @Test
    void aSignalStampedBeforeTheGivenMomentDoesNotWake() throws Exception {
        long look = System.nanoTime();
        signal.signal(look - 1);

        assertThat(signal.awaitSince(SHORT, look)).isFalse();
    }

    @Test
    void aSignalStampedAtOrAfterTheGivenMomentWakes() throws Exception {
        long look = System.nanoTime();
        signal.signal(look - 5);
        signal.signal(look);

        assertThat(signal.awaitSince(SHORT, look)).isTrue();
        assertThat(signal.awaitSince(SHORT, look)).as("consumed").isFalse();
    }

    @Test
    void aSignalWithoutAStampAlwaysWakes() throws Exception {
        long look = System.nanoTime();
        signal.signal(look - 1);
        signal.signal();

        assertThat(signal.awaitSince(SHORT, look)).isTrue();
    }

    @Test
    void aStaleSignalLetsTheWaitGoOnUntilANewOneComes() throws Exception {
        long look = System.nanoTime();
        signal.signal(look - 1);
        Thread.ofVirtual().start(() -> {
            sleep(30);
            signal.signal(System.nanoTime());
        });

        assertThat(signal.awaitSince(Duration.ofSeconds(5), look)).isTrue();
    }

    @Test
    void aPlainWaitIsWokenByAStampedSignalToo() throws Exception {
        signal.signal(System.nanoTime() - 1_000_000_000L);

        assertThat(signal.await(SHORT)).isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
