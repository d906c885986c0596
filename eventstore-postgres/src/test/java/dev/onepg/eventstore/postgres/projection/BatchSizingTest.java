package dev.onepg.eventstore.postgres.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchSizingTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void aBacklogDoublesTheBatchesUpToFortyTimesTheConfiguredSize() {
        BatchSizing sizing = new BatchSizing(500, 16 * MIB);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int size = sizing.current();
            sizes.add(size);
            sizing.weigh(events(size, 200));
            sizing.read(size, size);
        }

        assertThat(sizes).containsExactly(500, 1_000, 2_000, 4_000, 8_000, 16_000, 20_000, 20_000, 20_000, 20_000);
    }

    @Test
    void aBacklogOfLargeEventsGrowsItsBatchesOnlyAsFarAsTheirBytesFit() {
        BatchSizing sizing = new BatchSizing(10, MIB);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int size = sizing.current();
            sizes.add(size);
            sizing.weigh(events(size, 64 * 1024 - BatchSizing.EVENT_OVERHEAD_BYTES));
            sizing.read(size, size);
        }

        assertThat(sizes).containsExactly(10, 16, 16, 16, 16, 16, 16, 16);
    }

    @Test
    void batchesShrinkWhenTheEventsGrowLarger() {
        BatchSizing sizing = new BatchSizing(100, MIB);
        sizing.weigh(events(100, 100));
        sizing.read(100, 100);
        assertThat(sizing.current()).isEqualTo(200);

        sizing.weigh(events(200, 256 * 1024 - BatchSizing.EVENT_OVERHEAD_BYTES));

        assertThat(sizing.afterFull(200)).as("read ahead").isEqualTo(4);
        sizing.read(200, 200);
        assertThat(sizing.current()).isEqualTo(4);
    }

    @Test
    void anEventLargerThanTheBytesIsStillReadAlone() {
        BatchSizing sizing = new BatchSizing(100, MIB);
        sizing.weigh(events(1, 3 * 1024 * 1024));

        sizing.read(100, 100);

        assertThat(sizing.current()).isEqualTo(1);
    }

    @Test
    void headersWeighLikePayloads() {
        RecordedEvent plain = event("{}", Map.of());
        RecordedEvent withHeaders = event("{}", Map.of("trace", "x".repeat(1_000)));

        assertThat(BatchSizing.weightOf(withHeaders) - BatchSizing.weightOf(plain))
                .isEqualTo(1_005);
    }

    @Test
    void aShortBatchBringsTheSizeBackToTheConfiguredOne() {
        BatchSizing sizing = new BatchSizing(500, 16 * MIB);
        sizing.read(500, 500);
        sizing.read(1_000, 1_000);

        sizing.read(2_000, 1_999);

        assertThat(sizing.current()).isEqualTo(500);
    }

    @Test
    void theReadAheadAfterAFullBatchAsksForTheNextSize() {
        BatchSizing sizing = new BatchSizing(500, 16 * MIB);

        assertThat(sizing.afterFull(500)).isEqualTo(1_000);
        assertThat(sizing.afterFull(300)).isEqualTo(500);
    }

    @Test
    void noBytesAtAllIsRefused() {
        assertThatThrownBy(() -> new BatchSizing(500, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batch bytes must be 1 or more, was 0");
    }

    private static List<RecordedEvent> events(int count, int payloadCharacters) {
        String payload = "x".repeat(payloadCharacters);
        return IntStream.range(0, count).mapToObj(i -> event(payload, Map.of())).toList();
    }

    private static RecordedEvent event(String payload, Map<String, String> headers) {
        return new RecordedEvent(
                UUID.randomUUID(),
                new StreamId("user", "1"),
                1,
                new Checkpoint(1, 1),
                "Happened",
                1,
                payload,
                new EventMetadata("actor", null, null, headers),
                Instant.EPOCH);
    }
}
