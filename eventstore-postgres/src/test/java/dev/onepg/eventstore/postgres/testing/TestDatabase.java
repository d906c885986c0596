package dev.onepg.eventstore.postgres.testing;

/** A database of the test server that belongs to one test class. */
public record TestDatabase(String jdbcUrl, String username, String password) {

    public String name() {
        String path = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }
}
