package dev.onepg.eventstore;

/**
 * The unique keys a decided event claims or releases, given the state before it; the command handler adds them
 * to the append, so that they change in the append's own transaction.
 *
 * @param <S> the states
 * @param <E> the events
 */
@FunctionalInterface
public interface UniqueKeys<S, E> {

    AppendRequest claimAndRelease(AppendRequest request, S before, E event);

    static <S, E> UniqueKeys<S, E> none() {
        return (request, before, event) -> request;
    }
}
