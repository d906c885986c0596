package dev.onepg.benchmarks;

import java.util.Arrays;
import java.util.List;

/** How appends tell projections that there is something new. */
enum Variant {
    NONE("a", "no notification; the projection engine only polls"),
    ROW_TRIGGER(
            "b", "AFTER INSERT ... FOR EACH ROW trigger: pg_notify per inserted row, inside the append transaction"),
    STATEMENT_TRIGGER(
            "c", "AFTER INSERT ... FOR EACH STATEMENT trigger: one pg_notify per append transaction, inside it"),
    COALESCING(
            "d",
            "CoalescingNotifier after commit, outside the append transaction; the engine is woken only by the"
                    + " NotificationListener (what another instance sees)"),
    COALESCING_LOCAL(
            "d-local",
            "CoalescingNotifier after commit, with its direct local wake-up of the engine (the appending instance);"
                    + " the listener runs too");

    private final String code;
    private final String description;

    Variant(String code, String description) {
        this.code = code;
        this.description = description;
    }

    String code() {
        return code;
    }

    String description() {
        return description;
    }

    /** Whether a NotificationListener wakes the engine. */
    boolean listens() {
        return this != NONE;
    }

    /** Whether a CoalescingNotifier is the store's append observer. */
    boolean coalesces() {
        return this == COALESCING || this == COALESCING_LOCAL;
    }

    static Variant ofCode(String code) {
        return Arrays.stream(values())
                .filter(variant -> variant.code.equalsIgnoreCase(code.strip()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown variant '" + code + "'; known: "
                        + List.of(values()).stream().map(Variant::code).toList()));
    }
}
