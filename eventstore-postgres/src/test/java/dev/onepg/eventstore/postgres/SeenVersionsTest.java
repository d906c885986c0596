package dev.onepg.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onepg.eventstore.StreamId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

class SeenVersionsTest {

    private static final StreamId ADA = StreamId.of("user", "ada");
    private static final StreamId BOB = StreamId.of("user", "bob");

    private final SeenVersions seen = new SeenVersions(16);

    @Test
    void versionZeroNeedsNoLookUp() {
        assertThat(seen.stored(ADA, 0)).isTrue();
    }

    @Test
    void aSeenVersionCoversEveryVersionUpToItAndNoneAfter() {
        seen.seen(ADA, 5);

        assertThat(seen.stored(ADA, 1)).isTrue();
        assertThat(seen.stored(ADA, 5)).isTrue();
        assertThat(seen.stored(ADA, 6)).isFalse();
    }

    @Test
    void aStreamNeverSeenIsLookedUp() {
        seen.seen(ADA, 5);

        assertThat(seen.stored(BOB, 1)).isFalse();
    }

    @Test
    void aLowerVersionSeenLaterKeepsTheHigherOne() {
        seen.seen(ADA, 5);
        seen.seen(ADA, 3);

        assertThat(seen.stored(ADA, 5)).isTrue();
    }

    @Test
    void aStreamThatLostItsSlotToAnotherIsLookedUpAgain() {
        SeenVersions oneSlot = new SeenVersions(1);
        oneSlot.seen(ADA, 5);
        oneSlot.seen(BOB, 2);

        assertThat(oneSlot.stored(ADA, 1)).isFalse();
        assertThat(oneSlot.stored(BOB, 2)).isTrue();
        assertThat(oneSlot.stored(BOB, 3)).isFalse();
    }

    @Test
    void refusesASizeThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> new SeenVersions(12))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two");
    }

    @Test
    void neverCoversAVersionNobodySawUnderRacingWritersAndReaders() throws Exception {
        int streams = 64;
        // Each writer owns streams and tells the highest version it is about to report before reporting it.
        AtomicLongArray reported = new AtomicLongArray(streams);
        List<StreamId> ids = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            ids.add(StreamId.of("user", "u" + i));
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (int writer = 0; writer < 2; writer++) {
                int first = writer;
                done.add(threads.submit(() -> {
                    for (long version = 1; version <= 20_000; version++) {
                        for (int i = first; i < streams; i += 2) {
                            reported.set(i, version);
                            seen.seen(ids.get(i), version);
                        }
                    }
                }));
            }
            for (int reader = 0; reader < 2; reader++) {
                done.add(threads.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int n = 0; n < 2_000_000; n++) {
                        int i = random.nextInt(streams);
                        long asked = random.nextLong(1, 20_001);
                        if (seen.stored(ids.get(i), asked)) {
                            assertThat(asked).isLessThanOrEqualTo(reported.get(i));
                        }
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
    }
}
