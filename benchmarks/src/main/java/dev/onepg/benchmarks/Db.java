package dev.onepg.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** How to reach one database of the run's server, also from a forked JMH JVM. */
record Db(String url, String user, String password) {

    /** The template database of the server that forked this JVM (see {@link Postgres#forkProperties}). */
    static Db fromProperties() {
        return new Db(
                System.getProperty("bench.db.url"),
                System.getProperty("bench.db.user"),
                System.getProperty("bench.db.password"));
    }

    Db database(String name) {
        return new Db(url.substring(0, url.lastIndexOf('/') + 1) + name, user, password);
    }

    /** A fresh copy of the template, named {@code name}; this must be the template's Db. */
    Db copy(String name) throws SQLException {
        Db postgres = database("postgres");
        postgres.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        postgres.execute("CREATE DATABASE " + name + " TEMPLATE " + Postgres.TEMPLATE);
        postgres.execute("CHECKPOINT");
        return database(name);
    }

    void drop() throws SQLException {
        String name = url.substring(url.lastIndexOf('/') + 1);
        database("postgres").execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    long queryLong(String sql) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                var result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    HikariDataSource pool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        return new HikariDataSource(config);
    }
}
