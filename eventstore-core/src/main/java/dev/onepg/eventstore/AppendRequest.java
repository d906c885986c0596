package dev.onepg.eventstore;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Events to append atomically to one stream, with the version the stream must be at, and the unique keys the
 * stream claims or releases in the same transaction.
 */
public record AppendRequest(
        StreamId stream,
        ExpectedVersion expectedVersion,
        List<NewEvent> events,
        List<UniqueKey> claims,
        List<UniqueKey> releases) {

    public AppendRequest {
        if (stream == null || expectedVersion == null) {
            throw new IllegalArgumentException("an append needs a stream and an expected version");
        }
        events = List.copyOf(events);
        claims = List.copyOf(claims);
        releases = List.copyOf(releases);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("an append needs at least one event");
        }
        Set<UUID> ids = new HashSet<>();
        for (NewEvent event : events) {
            if (!ids.add(event.eventId())) {
                throw new IllegalArgumentException("event id " + event.eventId() + " appears twice in one append");
            }
        }
    }

    public static AppendRequest of(StreamId stream, ExpectedVersion expectedVersion, List<NewEvent> events) {
        return new AppendRequest(stream, expectedVersion, events, List.of(), List.of());
    }

    public AppendRequest claiming(UniqueKey key) {
        return new AppendRequest(stream, expectedVersion, events, append(claims, key), releases);
    }

    public AppendRequest releasing(UniqueKey key) {
        return new AppendRequest(stream, expectedVersion, events, claims, append(releases, key));
    }

    private static List<UniqueKey> append(List<UniqueKey> keys, UniqueKey key) {
        return java.util.stream.Stream.concat(keys.stream(), java.util.stream.Stream.of(key))
                .toList();
    }
}
