package dev.onepg.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The physical baseline: the same rows inserted with plain JDBC into {@code bench.plain_events}, a copy of
 * {@code eventstore.events} made with {@code LIKE ... INCLUDING ALL}: the same columns, types, defaults
 * ({@code pg_current_xact_id()}, {@code now()}, {@code '{}'}), identity, CHECK constraints, primary key, unique
 * constraints and indexes. Only the real table's triggers are missing, and they fire on UPDATE, DELETE and
 * TRUNCATE only. One autocommit {@code INSERT ... VALUES} per row, the version computed by the client, no
 * expected-version check and no {@code RETURNING}.
 */
final class PlainJdbcInserts {

    static final String CREATE_TABLE = """
            CREATE SCHEMA IF NOT EXISTS bench;
            CREATE TABLE bench.plain_events (LIKE eventstore.events INCLUDING ALL);
            """;

    static final String INSERT = "INSERT INTO bench.plain_events"
            + " (event_id, stream_type, stream_id, version, event_type, payload) VALUES (?, ?, ?, ?, ?, ?::jsonb)";

    private final DataSource dataSource;

    PlainJdbcInserts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    static void createTable(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_TABLE);
        }
    }

    /** The indexes of a table, to show that the copy has those of the original. */
    static List<String> indexes(Connection connection, String table) throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT regexp_replace(indexdef, ' ON [^ ]+ ', ' ON t ') FROM pg_indexes"
                        + " WHERE schemaname || '.' || tablename = ? ORDER BY 1")) {
            statement.setString(1, table);
            try (var result = statement.executeQuery()) {
                while (result.next()) {
                    indexes.add(result.getString(1).replaceAll("INDEX [^ ]+ ON", "INDEX ON"));
                }
            }
        }
        return indexes;
    }

    void insert(UserEventRows rows, long n) throws SQLException {
        int slot = rows.slot(n);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(INSERT)) {
            statement.setObject(1, UserEventRows.randomUuid());
            statement.setString(2, UserEventRows.STREAM_TYPE);
            statement.setString(3, rows.streamId(slot));
            statement.setLong(4, rows.version(slot) + 1);
            statement.setString(5, UserEventRows.EVENT_TYPE);
            statement.setString(6, rows.payload(n));
            statement.executeUpdate();
        }
        rows.appended(slot);
    }
}
