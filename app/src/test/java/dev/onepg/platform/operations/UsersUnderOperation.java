package dev.onepg.platform.operations;

import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.Actor;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.application.port.in.RecordUserEvent;
import dev.onepg.users.application.port.in.RecordUserEventUseCase;
import dev.onepg.users.application.port.in.UserChange;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** The users domain as the operations tests use it: users written through its use case, its projection's state. */
final class UsersUnderOperation {

    private final RecordUserEventUseCase users;
    private final JdbcTemplate jdbc;

    UsersUnderOperation(RecordUserEventUseCase users, JdbcTemplate jdbc) {
        this.users = users;
        this.jdbc = jdbc;
    }

    EventWritten create(String username) {
        return users.record(new RecordUserEvent(
                new UserId(UUID.randomUUID()),
                UUID.randomUUID(),
                new UserChange.Create(username, username + "@example.org", "correct horse battery"),
                null,
                Actor.NONE));
    }

    /** The users projection's state as stored: RUNNING, PAUSED or FAILED. */
    String projectionState() {
        return jdbc.queryForObject("SELECT status FROM eventstore.projections WHERE name = 'users'", String.class);
    }
}
