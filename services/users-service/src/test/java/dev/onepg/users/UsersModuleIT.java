package dev.onepg.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.EventMetadataSource;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.projection.AppliedPositions;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.projection.ProjectionSettings;
import dev.onepg.platform.testing.TestDatabaseProperties;
import dev.onepg.users.application.port.in.Actor;
import dev.onepg.users.application.port.in.EmailTaken;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.application.port.in.HistoryEntry;
import dev.onepg.users.application.port.in.RecordUserEvent;
import dev.onepg.users.application.port.in.RecordUserEventUseCase;
import dev.onepg.users.application.port.in.UserChange;
import dev.onepg.users.application.port.in.UserQueries;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The users module alone, against a real database: its own beans, and of the rest only the event store and a
 * projection engine, given here through the core's ports instead of by the platform.
 *
 * <p>The module structure is verified by {@code UsersServiceModularityTest}, which leaves out the test support on
 * this classpath; verified here, that support would count as production code of the platform.
 */
@ApplicationModuleTest(verifyAutomatically = false)
class UsersModuleIT {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    /** The applications bring the domains in through their configurations, so the test does the same. */
    @TestConfiguration(proxyBeanMethods = false)
    @Import(UsersDomain.class)
    static class EventStoreAndProjections {

        @Bean(destroyMethod = "close")
        AppliedPositions appliedPositions(DataSource dataSource) {
            return new AppliedPositions(dataSource, Duration.ofMillis(100));
        }

        @Bean(destroyMethod = "close")
        ProjectionEngine projectionEngine(
                DataSource dataSource, List<Projection> projections, AppliedPositions positions) {
            ProjectionEngine engine = new ProjectionEngine(
                    dataSource,
                    projections,
                    ProjectionSettings.defaults().withPollInterval(Duration.ofMillis(100)),
                    positions);
            engine.start();
            return engine;
        }

        /** The web adapter reads who asks from the request; no request comes in here. */
        @Bean
        EventMetadataSource noRequest() {
            return () -> EventMetadata.NONE;
        }

        @Bean
        EventStore eventStore(DataSource dataSource, ProjectionEngine engine) {
            return new PostgresEventStore(dataSource, (result, committedBy) -> engine.wakeUpAfterCommit(committedBy));
        }
    }

    private final RecordUserEventUseCase users;
    private final UserQueries queries;
    private final ApplicationContext context;

    UsersModuleIT(RecordUserEventUseCase users, UserQueries queries, ApplicationContext context) {
        this.users = users;
        this.queries = queries;
        this.context = context;
    }

    @Test
    void bootstrapsTheUsersModuleWithoutThePlatform() {
        assertThat(context.getBeanNamesForType(UsersDomain.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(ProjectionEngine.class)).hasSize(1);
        assertThat(List.of(context.getBeanDefinitionNames()))
                .noneMatch(name -> context.getType(name) != null
                        && context.getType(name).getPackageName().startsWith("dev.onepg.platform"));
    }

    @Test
    void recordsAUserThatTheViewsShowAndKeepsItsEmailUnique() {
        UserId ada = new UserId(UUID.randomUUID());

        EventWritten written = users.record(new RecordUserEvent(
                ada,
                UUID.randomUUID(),
                new UserChange.Create("ada", "ada@example.org", "correct horse battery"),
                null,
                new Actor("admin", "request-1")));
        queries.awaitPosition(written.position());

        assertThat(written.version()).isEqualTo(1);
        assertThat(queries.find(ada)).hasValueSatisfying(user -> {
            assertThat(user.username()).isEqualTo("ada");
            assertThat(user.email()).isEqualTo("ada@example.org");
            assertThat(user.version()).isEqualTo(1);
        });
        assertThat(queries.history(ada).orElseThrow())
                .singleElement()
                .satisfies(entry -> {
                    assertThat(entry.type()).isEqualTo("UserCreated");
                    assertThat(entry.actor()).isEqualTo("admin");
                    assertThat(entry.data()).doesNotContainKey("passwordHash");
                })
                .extracting(HistoryEntry::correlationId)
                .isEqualTo("request-1");
        UserId other = new UserId(UUID.randomUUID());
        assertThatThrownBy(() -> users.record(new RecordUserEvent(
                        other,
                        UUID.randomUUID(),
                        new UserChange.Create("ada2", "ADA@example.org", "correct horse battery"),
                        null,
                        Actor.NONE)))
                .isInstanceOf(EmailTaken.class);
        assertThat(queries.history(other))
                .as("a refused user leaves nothing behind")
                .isEmpty();
    }
}
