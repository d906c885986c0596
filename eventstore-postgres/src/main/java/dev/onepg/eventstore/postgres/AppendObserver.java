package dev.onepg.eventstore.postgres;

import dev.onepg.eventstore.AppendResult;

/** Told after each append has committed; used to wake projections up. */
@FunctionalInterface
public interface AppendObserver {

    AppendObserver NONE = result -> {};

    void appended(AppendResult result);
}
