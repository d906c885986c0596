package dev.onepg.eventstore.postgres;

import dev.onepg.eventstore.AppendResult;

/** Told after each append has committed; used to wake projections up. */
@FunctionalInterface
public interface AppendObserver {

    AppendObserver NONE = (result, committedBy) -> {};

    /**
     * @param committedBy a {@link System#nanoTime()} taken once the database had confirmed the append's commit: the
     *     append was visible to any transaction that began after it, however much later this call comes
     */
    void appended(AppendResult result, long committedBy);
}
