package dev.onepg.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A store that only forwards passes the conformance suite, and a decorator sees every append however called. */
class ForwardingEventStoreTest extends EventStoreContract {

    /** Forwards everything and changes nothing. */
    private static final class Plain extends ForwardingEventStore {
        Plain(EventStore delegate) {
            super(delegate);
        }
    }

    /** Notes each append request it is handed before forwarding it. */
    private static final class NotingAppends extends ForwardingEventStore {
        final List<AppendRequest> seen = new ArrayList<>();

        NotingAppends(EventStore delegate) {
            super(delegate);
        }

        @Override
        public AppendResult append(AppendRequest request) {
            seen.add(request);
            return super.append(request);
        }
    }

    @Override
    protected EventStore store() {
        return new Plain(new InMemoryEventStore());
    }

    @Test
    void aDecoratorOfTheRequestAppendSeesTheShorthandAppendToo() {
        var inner = new InMemoryEventStore();
        var decorated = new NotingAppends(inner);
        StreamId stream = StreamId.of("user", UUID.randomUUID());
        NewEvent event = NewEvent.of(UUID.randomUUID(), "UserCreated", "{}");

        decorated.append(stream, ExpectedVersion.noStream(), List.of(event));

        assertThat(decorated.seen).extracting(AppendRequest::stream).containsExactly(stream);
        assertThat(inner.read(stream)).extracting(RecordedEvent::eventId).containsExactly(event.eventId());
    }
}
