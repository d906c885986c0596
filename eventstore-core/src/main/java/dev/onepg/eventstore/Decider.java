package dev.onepg.eventstore;

import java.util.List;

/**
 * An aggregate as two pure functions: {@code decide} turns a command and the current state into new events
 * (or refuses), {@code evolve} folds an event into the state.
 *
 * @param <C> the commands
 * @param <E> the events
 * @param <S> the states
 */
public interface Decider<C, E, S> {

    S initialState();

    List<E> decide(C command, S state);

    S evolve(S state, E event);

    /** Folds events into the state, starting from the initial one. */
    default S fold(Iterable<? extends E> events) {
        S state = initialState();
        for (E event : events) {
            state = evolve(state, event);
        }
        return state;
    }
}
