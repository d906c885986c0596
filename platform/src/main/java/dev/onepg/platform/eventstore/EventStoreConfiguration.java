package dev.onepg.platform.eventstore;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionProgress;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.notification.CoalescingNotifier;
import dev.onepg.eventstore.postgres.notification.ListeningConnections;
import dev.onepg.eventstore.postgres.notification.NotificationListener;
import dev.onepg.eventstore.postgres.projection.AppliedPositions;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.projection.ProjectionSettings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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

    private static final Duration LISTENER_SOCKET_TIMEOUT = Duration.ofSeconds(30);
    private static final int STORE_ATTEMPTS = 4;
    private static final Duration FIRST_STORE_RETRY_DELAY = Duration.ofMillis(20);
    private static final String COMBINED_STATEMENTS =
            "${onepg.eventstore.combined-statements:" + PostgresEventStore.DEFAULT_COMBINED_STATEMENTS + "}";

    /**
     * How this instance's listening connection shows in {@code pg_stat_activity}, unique to this application
     * context: its notifier sends nothing while no other instance listens (see {@link CoalescingNotifier}).
     */
    private final String listenerName =
            ListeningConnections.applicationName(UUID.randomUUID().toString());

    /**
     * The {@link ProjectionProgress} readers use: readers waiting for a position share this one watcher, which
     * batches of the local runners wake.
     */
    @Bean(destroyMethod = "close")
    AppliedPositions appliedPositions(DataSource dataSource, ProjectionProperties properties) {
        return new AppliedPositions(dataSource, properties.positionRecheckInterval());
    }

    /**
     * The projections' own connections: per projection one for its batch and one to read ahead, two for a
     * rebuild, one for the notifier and one for status queries, unless {@code onepg.projections.connections} says.
     */
    @Bean(destroyMethod = "close")
    ProjectionConnections projectionConnections(
            DataSource dataSource, List<Projection> projections, ProjectionProperties properties) {
        int size = properties.connections() != null ? properties.connections() : 2 * projections.size() + 4;
        return ProjectionConnections.beside(dataSource, size);
    }

    @Bean(destroyMethod = "close")
    ProjectionEngine projectionEngine(
            ProjectionConnections connections,
            List<Projection> projections,
            ProjectionProperties properties,
            AppliedPositions positions,
            MeterRegistry meterRegistry) {
        ProjectionSettings settings = properties.settings();
        ProjectionEngine engine = new ProjectionEngine(
                connections.dataSource(),
                projections,
                settings,
                new ProjectionObservers(List.of(new MicrometerProjectionObserver(meterRegistry), positions)));
        for (String projection : engine.projectionNames()) {
            Gauge.builder(
                            "onepg.projection.lag.events",
                            engine,
                            e -> e.lag(projection).events())
                    .description("About how many events the projection has not applied yet")
                    .tag("projection", projection)
                    .register(meterRegistry);
            Gauge.builder(
                            "onepg.projection.lag.seconds",
                            engine,
                            e -> e.lag(projection).behind().toMillis() / 1000.0)
                    .description("How long ago the oldest event the projection has not applied was recorded")
                    .tag("projection", projection)
                    .register(meterRegistry);
        }
        return engine;
    }

    @Bean(destroyMethod = "close")
    CoalescingNotifier appendNotifier(
            ProjectionConnections connections,
            ProjectionEngine engine,
            ProjectionProperties properties,
            MeterRegistry meterRegistry) {
        CoalescingNotifier notifier = new CoalescingNotifier(
                connections.dataSource(),
                properties.channel(),
                engine::wakeUpAfterCommit,
                properties.notifyInterval(),
                listenerName);
        FunctionCounter.builder("onepg.notifications.sent", notifier, CoalescingNotifier::sent)
                .description("Notifications this instance sent after appends")
                .register(meterRegistry);
        return notifier;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "onepg.projections.enabled", matchIfMissing = true)
    NotificationListener notificationListener(
            DataSource dataSource,
            ProjectionEngine engine,
            ProjectionProperties properties,
            MeterRegistry meterRegistry) {
        NotificationListener listener = new NotificationListener(
                listeningConnections(dataSource), properties.channel(), engine::wakeUp, Duration.ofMillis(500));
        FunctionCounter.builder("onepg.notifications.received", listener, NotificationListener::notificationsReceived)
                .description("Notifications received on the listening connection")
                .register(meterRegistry);
        return listener;
    }

    /**
     * Connections of the listener's own, with the pool's address and credentials: a listening connection that dies
     * must never go back to the pool, where the next request would borrow it broken.
     */
    private DataSource listeningConnections(DataSource dataSource) {
        HikariDataSource pool;
        try {
            pool = dataSource.unwrap(HikariDataSource.class);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "the notification listener needs the address of the database, which only a Hikari pool tells", e);
        }
        if (pool.getJdbcUrl() == null) {
            throw new IllegalStateException("the notification listener needs spring.datasource.url to be set");
        }
        return ListeningConnections.of(
                pool.getJdbcUrl(), pool.getUsername(), pool.getPassword(), LISTENER_SOCKET_TIMEOUT, listenerName);
    }

    /**
     * The store, trying appends and reads again a few times when the database fails for a passing reason; then
     * the caller answers 503.
     */
    @Bean
    EventStore eventStore(
            DataSource dataSource,
            CoalescingNotifier notifier,
            MeterRegistry meterRegistry,
            @Value(COMBINED_STATEMENTS) int combinedStatements) {
        return new MeteredEventStore(
                new RetryingEventStore(
                        new PostgresEventStore(dataSource, notifier, combinedStatements),
                        STORE_ATTEMPTS,
                        FIRST_STORE_RETRY_DELAY),
                meterRegistry);
    }

    @Bean
    SmartLifecycle projectionLifecycle(ProjectionEngine engine, ProjectionProperties properties) {
        return new ProjectionLifecycle(engine, properties);
    }

    /** Starts the engine once the context (and so the schema) is ready, and stops it before the database goes. */
    static final class ProjectionLifecycle implements SmartLifecycle {

        private final ProjectionEngine engine;
        private final ProjectionProperties properties;
        private volatile boolean running;

        ProjectionLifecycle(ProjectionEngine engine, ProjectionProperties properties) {
            this.engine = engine;
            this.properties = properties;
        }

        @Override
        public void start() {
            if (properties.enabled()) {
                engine.start();
            }
            running = true;
        }

        @Override
        public void stop() {
            engine.close();
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        /** Below the web server's phases: stopped only after in-flight requests (which may wait for it) ended. */
        @Override
        public int getPhase() {
            return SmartLifecycle.DEFAULT_PHASE - 4096;
        }
    }
}
