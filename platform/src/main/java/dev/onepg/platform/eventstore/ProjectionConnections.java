package dev.onepg.platform.eventstore;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of the projections and the notifier: a pool of their own beside the application's, with its
 * address, credentials and driver settings. Requests that hold every connection of the application's pool (a
 * burst of writes, slow callers) would otherwise make each batch wait in the same queue, and the views fall
 * behind exactly when they have the most to apply.
 *
 * <p>Only a Hikari pool tells its settings; with any other {@link DataSource} the projections share it.
 */
final class ProjectionConnections implements AutoCloseable {

    static final String POOL_NAME = "onepg-projections";
    private static final Logger log = LoggerFactory.getLogger(ProjectionConnections.class);

    private final DataSource dataSource;
    private final @Nullable HikariDataSource ownPool;

    private ProjectionConnections(DataSource dataSource, @Nullable HikariDataSource ownPool) {
        this.dataSource = dataSource;
        this.ownPool = ownPool;
    }

    /** A pool of {@code size} connections made like the application's pool {@code shared}. */
    static ProjectionConnections beside(DataSource shared, int size) {
        HikariDataSource application;
        try {
            application = shared.unwrap(HikariDataSource.class);
        } catch (SQLException e) {
            log.warn(
                    "The data source is not a Hikari pool, so projections share its connections with requests: {}",
                    e.getMessage());
            return new ProjectionConnections(shared, null);
        }
        HikariConfig config = new HikariConfig();
        application.copyStateTo(config);
        config.setPoolName(POOL_NAME);
        // How the projections' sessions show in pg_stat_activity, apart from the requests'.
        config.addDataSourceProperty("ApplicationName", POOL_NAME);
        config.setMaximumPoolSize(size);
        // Opened as batches, rebuilds and the notifier need them, kept while they are used.
        config.setMinimumIdle(1);
        HikariDataSource own = new HikariDataSource(config);
        return new ProjectionConnections(own, own);
    }

    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        if (ownPool != null) {
            ownPool.close();
        }
    }
}
