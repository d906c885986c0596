package dev.onepg.app.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.app.support.TestDatabaseProperties;
import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.projection.ProjectionSettings;
import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.application.port.in.RecordUserEvent;
import dev.onepg.users.application.port.in.RecordUserEventUseCase;
import dev.onepg.users.application.port.in.RevertUser;
import dev.onepg.users.application.port.in.RevertUserUseCase;
import dev.onepg.users.application.port.in.UserChange;
import dev.onepg.users.application.port.in.UserQueries;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The users views are a pure function of the events: dropped and rebuilt, they come back row for row. */
@SpringBootTest(classes = OnePgApplication.class)
class UserViewsRebuildIT {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    @Autowired
    RecordUserEventUseCase users;

    @Autowired
    RevertUserUseCase reverts;

    @Autowired
    UserQueries queries;

    @Autowired
    ProjectionEngine engine;

    @Autowired
    List<Projection> projections;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void droppedAndRebuiltViewsAreIdentical() throws Exception {
        EventWritten last = null;
        for (int i = 0; i < 12; i++) {
            UserId id = new UserId(UUID.randomUUID());
            last = record(id, new UserChange.Create("user" + i, "user" + i + "@example.org", "password " + i));
            if (i % 2 == 0) {
                last = record(id, new UserChange.ChangeUsername("renamed" + i));
            }
            if (i % 3 == 0) {
                last = record(id, new UserChange.ChangeEmail("moved" + i + "@example.org"));
                last = reverts.revert(new RevertUser(id, UUID.randomUUID(), 1, null, EventMetadata.NONE));
            }
            if (i % 4 == 0) {
                last = record(id, new UserChange.Delete());
            }
        }
        queries.awaitPosition(last.position());
        List<Map<String, Object>> currentBefore = currentUsers();
        List<Map<String, Object>> historyBefore = history();
        assertThat(currentBefore).hasSize(9);
        assertThat(historyBefore).hasSizeGreaterThan(currentBefore.size());

        engine.close();
        jdbc.execute("TRUNCATE users.current_users, users.user_history");
        jdbc.update("DELETE FROM eventstore.projections WHERE name = 'users'");
        try (ProjectionEngine rebuild = new ProjectionEngine(dataSource, projections, ProjectionSettings.defaults())) {
            rebuild.start();
            assertThat(rebuild.awaitPosition("users", last.position(), Duration.ofSeconds(30)))
                    .isTrue();

            assertThat(currentUsers()).isEqualTo(currentBefore);
            assertThat(history()).isEqualTo(historyBefore);
        }
    }

    private EventWritten record(UserId id, UserChange change) {
        return users.record(new RecordUserEvent(id, UUID.randomUUID(), change, null, EventMetadata.NONE));
    }

    private List<Map<String, Object>> currentUsers() {
        return jdbc.queryForList("SELECT * FROM users.current_users ORDER BY user_id");
    }

    private List<Map<String, Object>> history() {
        return jdbc.queryForList("SELECT * FROM users.user_history ORDER BY user_id, version");
    }
}
