package dev.onepg.eventstore.postgres.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSizingTest {

    @Test
    void aBacklogDoublesTheBatchesUpToFortyTimesTheConfiguredSize() {
        BatchSizing sizing = new BatchSizing(500);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int size = sizing.current();
            sizes.add(size);
            sizing.read(size, size);
        }

        assertThat(sizes).containsExactly(500, 1_000, 2_000, 4_000, 8_000, 16_000, 20_000, 20_000, 20_000, 20_000);
    }

    @Test
    void aShortBatchBringsTheSizeBackToTheConfiguredOne() {
        BatchSizing sizing = new BatchSizing(500);
        sizing.read(500, 500);
        sizing.read(1_000, 1_000);

        sizing.read(2_000, 1_999);

        assertThat(sizing.current()).isEqualTo(500);
    }

    @Test
    void theReadAheadAfterAFullBatchAsksForTheNextSize() {
        BatchSizing sizing = new BatchSizing(500);

        assertThat(sizing.afterFull(500)).isEqualTo(1_000);
        assertThat(sizing.afterFull(300)).isEqualTo(500);
    }
}
