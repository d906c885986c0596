package dev.onepg.eventstore;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A domain's table of its event types: for each, the name it is stored under, its class, and how its payload is
 * written and read. The names are fixed here, so that renaming a class never changes what is stored.
 *
 * <p>The table must name every permitted subtype of the domain's sealed event interface; it refuses to be built
 * otherwise, so that a new event type without an entry fails at start-up and in the first test.
 *
 * @param <E> the domain's events
 */
public final class EventTypes<E> {

    /** One event type: its stored name, its class and its payload's codec. */
    public record Entry<T>(String name, Class<T> type, Function<T, String> encode, Function<String, T> decode) {

        public Entry {
            StreamId.requireText(name, "event type name");
        }
    }

    private final int schemaVersion;
    private final Map<String, Entry<? extends E>> byName = new HashMap<>();
    private final Map<Class<?>, Entry<? extends E>> byClass = new HashMap<>();
    private final Set<String> names = new LinkedHashSet<>();

    @SafeVarargs
    public EventTypes(Class<E> sealedType, int schemaVersion, Entry<? extends E>... entries) {
        this.schemaVersion = schemaVersion;
        for (Entry<? extends E> entry : entries) {
            if (byName.put(entry.name(), entry) != null || byClass.put(entry.type(), entry) != null) {
                throw new IllegalArgumentException("event type " + entry.name() + " is in the table twice");
            }
            names.add(entry.name());
        }
        Class<?>[] permitted = sealedType.getPermittedSubclasses();
        if (permitted == null) {
            throw new IllegalArgumentException(sealedType.getName() + " is not a sealed interface");
        }
        for (Class<?> subtype : permitted) {
            if (!byClass.containsKey(subtype)) {
                throw new IllegalArgumentException("event type " + subtype.getName() + " has no entry in the table");
            }
        }
    }

    public static <T> Entry<T> entry(
            String name, Class<T> type, Function<T, String> encode, Function<String, T> decode) {
        return new Entry<>(name, type, encode, decode);
    }

    /** The stored names of every type, in the table's order. */
    public Set<String> names() {
        return Set.copyOf(names);
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    /** The name the event is stored under. */
    public String nameOf(E event) {
        return entryOf(event).name();
    }

    public String encode(E event) {
        return encodeWith(entryOf(event), event);
    }

    public E decode(RecordedEvent event) {
        return decode(event.type(), event.payload());
    }

    public E decode(String name, String payload) {
        Entry<? extends E> entry = byName.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("not an event type of this table: " + name);
        }
        return entry.decode().apply(payload);
    }

    public List<E> decode(List<RecordedEvent> events) {
        return events.stream().map(this::decode).toList();
    }

    /** The event as a new event to append under the given id. */
    public NewEvent toNew(java.util.UUID eventId, E event, EventMetadata metadata) {
        return new NewEvent(eventId, nameOf(event), schemaVersion, encode(event), metadata);
    }

    private Entry<? extends E> entryOf(E event) {
        Entry<? extends E> entry = byClass.get(event.getClass());
        if (entry == null) {
            throw new IllegalArgumentException("not an event type of this table: " + event.getClass());
        }
        return entry;
    }

    private static <T> String encodeWith(Entry<T> entry, Object event) {
        return entry.encode().apply(entry.type().cast(event));
    }
}
