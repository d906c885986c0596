package dev.onepg.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Hikari pools on a benchmark database: fixed size, every connection opened up front. */
final class Pools {

    private Pools() {}

    static HikariDataSource open(BenchmarkServer server, String database, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl(database));
        config.setUsername(server.username());
        config.setPassword(server.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(30_000);
        config.setPoolName("bench-" + database);
        return new HikariDataSource(config);
    }
}
