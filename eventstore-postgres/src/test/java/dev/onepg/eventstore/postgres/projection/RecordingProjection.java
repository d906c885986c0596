package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.eventstore.RecordedEvent;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A projection for tests: writes one row per applied event into {@code public.applied}, so that a test can see
 * which events were applied, how often, and in which order. Events whose payload marks them as poison fail
 * while poison is on.
 */
final class RecordingProjection implements Projection {

    static final String POISON = "{\"poison\": true}";

    private final String name;
    private final AtomicBoolean poisonFails = new AtomicBoolean(true);

    RecordingProjection(String name) {
        this.name = name;
    }

    void curePoison() {
        poisonFails.set(false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("Happened");
    }

    @Override
    public void apply(RecordedEvent event, ProjectionTransaction transaction) throws SQLException {
        try (PreparedStatement insert = transaction
                .connection()
                .prepareStatement("INSERT INTO public.applied (projection, event_id, position) VALUES (?, ?, ?)")) {
            insert.setString(1, name);
            insert.setObject(2, event.eventId());
            insert.setLong(3, event.position());
            insert.executeUpdate();
        }
        if (poisonFails.get() && event.payload().contains("\"poison\"")) {
            throw new IllegalStateException("poisoned event " + event.eventId());
        }
    }
}
