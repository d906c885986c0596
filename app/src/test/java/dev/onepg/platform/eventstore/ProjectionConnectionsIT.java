package dev.onepg.platform.eventstore;

import static dev.onepg.users.testing.UsersApiBodies.created;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.testing.TestDatabase;
import dev.onepg.platform.testing.TestCallers;
import dev.onepg.platform.testing.TestDatabaseProperties;
import dev.onepg.users.testing.UsersApiCalls;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The projections run on connections of their own: requests that hold the application's pool do not stop them. */
@SpringBootTest(
        classes = OnePgApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.datasource.hikari.maximum-pool-size=" + ProjectionConnectionsIT.POOL_SIZE,
            "spring.datasource.hikari.connection-timeout=2000"
        })
@AutoConfigureRestTestClient
class ProjectionConnectionsIT {

    static final int POOL_SIZE = 3;

    static TestDatabase database;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database = TestDatabaseProperties.register(registry);
    }

    @Autowired
    DataSource applicationPool;

    @Autowired
    ProjectionEngine projections;

    UsersApiCalls users;

    @Autowired
    void callAsTheDevelopmentUser(RestTestClient anonymous) {
        users = new UsersApiCalls(TestCallers.dev(anonymous));
    }

    @Test
    void theViewsCatchUpWhileRequestsHoldEveryConnectionOfTheApplicationsPool() throws Exception {
        projections.pause("users");
        UUID id = UUID.randomUUID();
        users.record(id, created("held", "held@example.org"), 201);
        assertThat(inTheView(id)).isFalse();

        List<Connection> heldByRequests = new ArrayList<>();
        try {
            for (int i = 0; i < POOL_SIZE; i++) {
                heldByRequests.add(applicationPool.getConnection());
            }
            projections.resume("users");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!inTheView(id) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(inTheView(id))
                    .as("the user is in the view while the application's pool is exhausted")
                    .isTrue();
        } finally {
            for (Connection connection : heldByRequests) {
                connection.close();
            }
        }
    }

    @Test
    void theProjectionsSessionsAreNamedInPgStatActivity() throws Exception {
        UUID id = UUID.randomUUID();
        users.record(id, created("named", "named@example.org"), 201);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!inTheView(id) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        try (Connection connection =
                        DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND application_name = ?")) {
            query.setString(1, ProjectionConnections.POOL_NAME);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                assertThat(result.getLong(1))
                        .as("sessions of the projections' pool")
                        .isPositive();
            }
        }
    }

    /** Read on a connection outside both pools. */
    private static boolean inTheView(UUID id) throws Exception {
        try (Connection connection =
                        DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
                PreparedStatement query =
                        connection.prepareStatement("SELECT count(*) FROM users.current_users WHERE user_id = ?")) {
            query.setObject(1, id);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1) == 1;
            }
        }
    }
}
