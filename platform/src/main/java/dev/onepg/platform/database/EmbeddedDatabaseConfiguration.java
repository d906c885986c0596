package dev.onepg.platform.database;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.postgres.embedded.EmbeddedPostgresServer;
import dev.onepg.eventstore.postgres.embedded.EmbeddedPostgresSettings;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the embedded PostgreSQL when no database URL is configured.
 *
 * <p>The data source depends on the server, so on shutdown the pool closes first and the server stops last.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatabaseUrlConfigured.class)
@EnableConfigurationProperties(EmbeddedDatabaseProperties.class)
class EmbeddedDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgresServer(EmbeddedDatabaseProperties properties) {
        return EmbeddedPostgresServer.start(new EmbeddedPostgresSettings(
                properties.dataDirectory(),
                properties.binariesDirectory(),
                properties.port(),
                false,
                properties.startupTimeout(),
                // The embedded binaries default to fsync off; an acknowledged append must survive a crash.
                Map.of("fsync", "on", "synchronous_commit", "on")));
    }

    @Bean(destroyMethod = "close")
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgresServer server) {
        HikariDataSource dataSource = DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .url(server.jdbcUrl("postgres"))
                .username(server.username())
                .password(server.password())
                .build();
        dataSource.setPoolName("onepg-embedded");
        return dataSource;
    }
}
