package dev.onepg.eventstore.postgres.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a state the system under test reaches by itself, and fails the test when it takes too long. */
public final class Eventually {

    public static final Duration PATIENCE = Duration.ofSeconds(20);

    private Eventually() {}

    public static void eventually(BooleanSupplier condition) throws InterruptedException {
        eventually(condition, PATIENCE);
    }

    public static void eventually(BooleanSupplier condition, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + patience);
            }
            Thread.sleep(20);
        }
    }
}
