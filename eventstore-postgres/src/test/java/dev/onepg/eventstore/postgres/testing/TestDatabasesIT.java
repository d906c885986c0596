package dev.onepg.eventstore.postgres.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestDatabasesIT {

    @Test
    void givesEachCallerAMigratedDatabaseOfItsOwn() throws SQLException {
        TestDatabase first = TestDatabases.create();
        TestDatabase second = TestDatabases.create();

        assertThat(first.name()).isNotEqualTo(second.name());
        try (Connection connection = connect(first);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE public.marker (id int)");
            statement.execute("INSERT INTO public.marker VALUES (1)");
        }
        assertThat(tableExists(second, "public.marker")).isFalse();
        assertThat(tableExists(second, "eventstore.events")).isTrue();
        assertThat(tableExists(second, "users.current_users")).isTrue();
    }

    @Test
    void givesAnEmptyDatabaseWithoutTheSchemaWhenAskedFor() throws SQLException {
        TestDatabase empty = TestDatabases.createEmpty();

        assertThat(tableExists(empty, "eventstore.events")).isFalse();
    }

    private static boolean tableExists(TestDatabase database, String table) throws SQLException {
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            result.next();
            return result.getBoolean(1);
        }
    }

    private static Connection connect(TestDatabase database) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }
}
