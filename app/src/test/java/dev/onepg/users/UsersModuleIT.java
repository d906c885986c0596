package dev.onepg.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onepg.app.support.TestDatabaseProperties;
import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.EventMetadataSource;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.ProjectionProgress;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.users.application.port.in.Actor;
import dev.onepg.users.application.port.in.EmailTaken;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.application.port.in.HistoryEntry;
import dev.onepg.users.application.port.in.RecordUserEvent;
import dev.onepg.users.application.port.in.RecordUserEventUseCase;
import dev.onepg.users.application.port.in.UserChange;
import dev.onepg.users.application.port.in.UserQueries;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The users module on its own, against a real database: only its beans, with the event store it reaches
 * through the core's ports given here instead of by the application.
 */
@ApplicationModuleTest
class UsersModuleIT {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    /** The application brings the domains in through their configurations, so the test does the same. */
    @TestConfiguration(proxyBeanMethods = false)
    @Import(UsersDomain.class)
    static class EventStoreOnly {

        @Bean
        EventStore eventStore(DataSource dataSource) {
            return new PostgresEventStore(dataSource);
        }

        /** No projection runs here: reads of the views are not this test's subject. */
        @Bean
        ProjectionProgress noProjections() {
            return new ProjectionProgress() {
                @Override
                public boolean hasReached(String projection, long position) {
                    return false;
                }

                @Override
                public boolean awaitPosition(String projection, long position, Duration timeout) {
                    return false;
                }
            };
        }

        @Bean
        EventMetadataSource noRequest() {
            return () -> EventMetadata.NONE;
        }
    }

    @Autowired
    RecordUserEventUseCase users;

    @Autowired
    UserQueries queries;

    @Test
    void recordsAUserAndKeepsItsEmailUnique() {
        UserId ada = new UserId(UUID.randomUUID());

        EventWritten written = users.record(new RecordUserEvent(
                ada,
                UUID.randomUUID(),
                new UserChange.Create("ada", "ada@example.org", "correct horse battery"),
                null,
                new Actor("admin", "request-1")));

        assertThat(written.version()).isEqualTo(1);
        assertThat(queries.history(ada).orElseThrow())
                .singleElement()
                .satisfies(entry -> {
                    assertThat(entry.type()).isEqualTo("UserCreated");
                    assertThat(entry.actor()).isEqualTo("admin");
                    assertThat(entry.data()).doesNotContainKey("passwordHash");
                })
                .extracting(HistoryEntry::correlationId)
                .isEqualTo("request-1");
        assertThatThrownBy(() -> users.record(new RecordUserEvent(
                        new UserId(UUID.randomUUID()),
                        UUID.randomUUID(),
                        new UserChange.Create("ada2", "ADA@example.org", "correct horse battery"),
                        null,
                        Actor.NONE)))
                .isInstanceOf(EmailTaken.class);
    }
}
