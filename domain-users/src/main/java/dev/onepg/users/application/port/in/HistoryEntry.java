package dev.onepg.users.application.port.in;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One event in a user's history, its password hash left out. */
public record HistoryEntry(
        UUID eventId,
        String type,
        long version,
        long position,
        Instant recordedAt,
        @Nullable String actor,
        @Nullable String correlationId,
        Map<String, Object> data) {}
