package dev.onepg.users.adapter.out.persistence;

import static dev.onepg.db.jooq.users.Tables.CURRENT_USERS;
import static dev.onepg.db.jooq.users.Tables.USER_HISTORY;

import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The SQL that writes one set of users views (the live ones, or the next ones of a rebuild), rendered once. Each
 * statement takes a whole batch as arrays, so a batch costs the same few statements whatever its size.
 *
 * <p>{@link #writeBatch} is three statements in one text: the driver sends them together and the server runs them
 * one after the other, so a batch's writes cost one round trip. The history only ever gets rows inserted: a period
 * goes into it once it is closed, whole, and the open period of a user is its current row.
 */
record ViewStatements(boolean bulkLoad, String loadCurrent, String writeBatch, String copyPeriods, String copyCurrent) {

    static final ViewStatements LIVE = forTables(CURRENT_USERS, USER_HISTORY, false);
    static final ViewStatements NEXT = forTables(NextViews.next(CURRENT_USERS), NextViews.next(USER_HISTORY), false);

    /**
     * The bulk load of a rebuild, which gets every user's events whole within one batch: nothing is stored of the
     * batch's users yet, so nothing is read or upserted; their closed periods and current rows are copied in.
     */
    static final ViewStatements NEXT_BULK =
            forTables(NextViews.next(CURRENT_USERS), NextViews.next(USER_HISTORY), true);

    private static ViewStatements forTables(Table<?> currentUsers, Table<?> userHistory, boolean bulkLoad) {
        String current = DSL.using(SQLDialect.POSTGRES).render(currentUsers);
        String history = DSL.using(SQLDialect.POSTGRES).render(userHistory);
        return new ViewStatements(
                bulkLoad,
                "SELECT user_id, username, email, version, created_at, updated_at" + " FROM " + current
                        + " WHERE user_id = ANY (?::uuid[])",
                "INSERT INTO " + history
                        + " (user_id, version, username, email, created_at, valid_from, valid_to)"
                        + " SELECT * FROM unnest(?::uuid[], ?::bigint[], ?::text[], ?::text[],"
                        + " ?::timestamptz[], ?::timestamptz[], ?::timestamptz[]);"
                        + " DELETE FROM " + current + " WHERE user_id = ANY (?::uuid[]);"
                        + " INSERT INTO " + current + " (user_id, username, email, version, created_at, updated_at)"
                        + " SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::bigint[],"
                        + " ?::timestamptz[], ?::timestamptz[])"
                        + " ON CONFLICT (user_id) DO UPDATE SET username = excluded.username,"
                        + " email = excluded.email, version = excluded.version, updated_at = excluded.updated_at",
                "COPY " + history + " (user_id, version, username, email, created_at, valid_from, valid_to)"
                        + " FROM STDIN",
                "COPY " + current + " (user_id, username, email, version, created_at, updated_at) FROM STDIN");
    }
}
