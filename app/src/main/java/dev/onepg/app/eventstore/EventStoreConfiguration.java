package dev.onepg.app.eventstore;

import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.notification.CoalescingNotifier;
import dev.onepg.eventstore.postgres.notification.NotificationListener;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.projection.ProjectionSettings;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The event store and its projections: appends wake the local runners at once and other instances through one
 * coalesced notification; the engine starts once the context (and the schema migration) is ready.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProjectionProperties.class)
class EventStoreConfiguration {

    @Bean(destroyMethod = "close")
    ProjectionEngine projectionEngine(
            DataSource dataSource, List<Projection> projections, ProjectionProperties properties) {
        ProjectionSettings settings = ProjectionSettings.defaults()
                .withBatchSize(properties.batchSize())
                .withPollInterval(properties.pollInterval())
                .withLeaderRetryInterval(properties.leaderRetryInterval())
                .withRetries(properties.maxAttempts(), properties.firstRetryDelay());
        if (!properties.instanceId().isBlank()) {
            settings = settings.withInstanceId(properties.instanceId());
        }
        return new ProjectionEngine(dataSource, projections, settings);
    }

    @Bean(destroyMethod = "close")
    CoalescingNotifier appendNotifier(DataSource dataSource, ProjectionEngine engine, ProjectionProperties properties) {
        return new CoalescingNotifier(dataSource, properties.channel(), engine::wakeUp, properties.notifyInterval());
    }

    @Bean
    PostgresEventStore eventStore(DataSource dataSource, CoalescingNotifier notifier) {
        return new PostgresEventStore(dataSource, notifier);
    }

    @Bean
    SmartLifecycle projectionLifecycle(
            ProjectionEngine engine, DataSource dataSource, ProjectionProperties properties) {
        return new ProjectionLifecycle(engine, dataSource, properties);
    }

    /** Starts the engine and its listener after start-up, and stops both before the database goes away. */
    static final class ProjectionLifecycle implements SmartLifecycle {

        private final ProjectionEngine engine;
        private final DataSource dataSource;
        private final ProjectionProperties properties;
        private NotificationListener listener;
        private volatile boolean running;

        ProjectionLifecycle(ProjectionEngine engine, DataSource dataSource, ProjectionProperties properties) {
            this.engine = engine;
            this.dataSource = dataSource;
            this.properties = properties;
        }

        @Override
        public void start() {
            if (properties.enabled()) {
                engine.start();
                listener = new NotificationListener(
                        dataSource, properties.channel(), engine::wakeUp, Duration.ofMillis(500));
            }
            running = true;
        }

        @Override
        public void stop() {
            if (listener != null) {
                listener.close();
            }
            engine.close();
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        NotificationListener listener() {
            return listener;
        }
    }
}
