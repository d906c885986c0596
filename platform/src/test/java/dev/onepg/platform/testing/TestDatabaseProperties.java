package dev.onepg.platform.testing;

import dev.onepg.eventstore.postgres.testing.TestDatabase;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points a Spring test context at a fresh database of the shared test server, callable by the development users. */
public final class TestDatabaseProperties {

    private TestDatabaseProperties() {}

    public static TestDatabase register(DynamicPropertyRegistry registry) {
        TestDatabase database = TestDatabases.create();
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
        // A test database is as throwaway as the embedded one, so the development users may call the API.
        registry.add("onepg.security.allow-default-users", () -> "true");
        return database;
    }
}
