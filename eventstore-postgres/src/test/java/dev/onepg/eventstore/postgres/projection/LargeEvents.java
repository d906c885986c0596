package dev.onepg.eventstore.postgres.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Events of 16 KiB read under a bound of 64 KiB: three of them fit in a batch. */
final class LargeEvents {

    /** Characters that make an event's payload 16 KiB. */
    static final String PADDING = "x".repeat(16 * 1024);

    static final long BYTES = 64 * 1024;

    private static final int FITTING = 3;

    private LargeEvents() {}

    /**
     * The first batch (or chunk) has the configured size, nothing having been weighed yet; every later one holds no
     * more events than fit in {@link #BYTES}.
     */
    static void assertBoundedAfterTheFirst(List<? extends Number> sizes, int configured, String withoutTheBound) {
        assertThat(sizes.getFirst().intValue())
                .as("the configured size, before any event was weighed")
                .isEqualTo(configured);
        assertThat(sizes.subList(1, sizes.size()))
                .as("%d events of 16 KiB fit in 64 KiB; without the bound %s", FITTING, withoutTheBound)
                .allSatisfy(size -> assertThat(size.intValue()).isLessThanOrEqualTo(FITTING));
    }
}
