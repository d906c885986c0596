package dev.onepg.users.adapter.out.persistence;

import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.users.application.port.in.UserViewChange;
import dev.onepg.users.application.port.out.UserViewUpdates;
import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

/**
 * Applies a batch of changes with a constant number of round trips, whatever its size: the current rows of the
 * users it touches are read once (none when all of them are {@linkplain RememberedCurrentRows remembered} from the
 * batches before), the changes are folded in memory in order, and then, in three statements sent together, the
 * periods the batch closed are added to the history and the current rows deleted or upserted, each for the whole
 * batch. A user's open period is its current row: the history holds closed periods only and is never updated. A
 * live batch sends them with its commit ({@link ProjectionTransaction#writeWithCommit}), so that applying a batch of
 * remembered users costs no round trip of its own. A batch that closes {@link #COPY_FROM} periods or more copies
 * them in instead.
 *
 * <p>In a rebuild's bulk load ({@link ViewStatements#bulkLoad()}) a batch holds every event of its users and
 * nothing of them is stored yet: nothing is read, and the closed periods and the current rows are copied in.
 *
 * <p>The history tolerates a database clock that steps back: a period never starts before the one it follows.
 * A change recorded earlier than the user's current period began takes effect at that period's start instead
 * (which leaves the earlier period empty), so the periods stay ordered and every {@code asOf} answer for an
 * instant before that start stays as it was. The current row's {@code updated_at} is that effective start.
 */
final class SetBasedUserViewUpdates implements UserViewUpdates {

    /**
     * From this many closed periods on, a live batch copies them in ({@code COPY}, two more round trips) instead of
     * sending them as arrays: a large batch is a backlog draining, where rows per second count more than round
     * trips, and {@code COPY} loads rows faster.
     */
    static final int COPY_FROM = 1_000;

    private final ProjectionTransaction transaction;
    private final Connection connection;
    private final ViewStatements sql;
    private final RememberedCurrentRows remembered;

    SetBasedUserViewUpdates(ProjectionTransaction transaction, ViewStatements sql, RememberedCurrentRows remembered) {
        this.transaction = transaction;
        this.connection = transaction.connection();
        this.sql = sql;
        this.remembered = remembered;
    }

    /** A user's current row while the batch is folded; {@code updatedAt} is where its open period starts. */
    record Current(String username, String email, long version, Instant createdAt, Instant updatedAt) {}

    /** A history row: the user's {@code state} from its {@code updatedAt} until a change at {@code validTo}. */
    private record ClosedPeriod(UUID userId, Current state, Instant validTo) {}

    @Override
    public void apply(List<UserViewChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            Map<UUID, @Nullable Current> current = sql.bulkLoad() ? new LinkedHashMap<>() : load(changes);
            List<ClosedPeriod> closed = new ArrayList<>(changes.size());
            Map<UUID, Long> lastVersions = new HashMap<>();
            for (UserViewChange change : changes) {
                UUID id = change.userId().value();
                lastVersions.put(id, change.version());
                Current before = current.get(id);
                Instant at =
                        before == null || change.at().isAfter(before.updatedAt()) ? change.at() : before.updatedAt();
                Current after = switch (change) {
                    case UserViewChange.Created created ->
                        new Current(created.username(), created.email(), created.version(), at, at);
                    case UserViewChange.Changed changed -> {
                        if (before == null) {
                            throw new IllegalStateException("user " + id + " changed at version " + changed.version()
                                    + " but has no current row");
                        }
                        yield new Current(
                                changed.username() != null ? changed.username() : before.username(),
                                changed.email() != null ? changed.email() : before.email(),
                                changed.version(),
                                before.createdAt(),
                                at);
                    }
                    case UserViewChange.Deleted deleted -> null;
                };
                if (before != null && !(change instanceof UserViewChange.Created)) {
                    closed.add(new ClosedPeriod(id, before, at));
                }
                current.put(id, after);
            }
            if (sql.bulkLoad()) {
                copyPeriods(closed);
                copyCurrent(current);
                return;
            }
            if (closed.size() < COPY_FROM) {
                transaction.writeWithCommit(sql.writeBatch(), writeBatch(closed, current));
            } else {
                ProjectionTransaction atOnce = () -> connection;
                atOnce.writeWithCommit(sql.writeBatch(), writeBatch(List.of(), current));
                copyPeriods(closed);
            }
            remember(current, lastVersions);
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the users views: " + e.getMessage(), e);
        }
    }

    /**
     * The current rows of the batch's users before it: the remembered ones where they are right before the user's
     * first change of the batch, none before a user's first event, and the others read in one round trip.
     */
    private Map<UUID, @Nullable Current> load(List<UserViewChange> changes) throws SQLException {
        Map<UUID, @Nullable Current> current = new HashMap<>();
        Set<UUID> unknown = new LinkedHashSet<>();
        for (UserViewChange change : changes) {
            UUID id = change.userId().value();
            if (current.containsKey(id) || unknown.contains(id)) {
                continue;
            }
            RememberedCurrentRows.Remembered before = remembered.before(id, change.version());
            if (before != null) {
                current.put(id, before.row());
            } else if (change.version() == 1) {
                current.put(id, null);
            } else {
                unknown.add(id);
            }
        }
        if (!unknown.isEmpty()) {
            read(unknown.toArray(UUID[]::new), current);
        }
        return current;
    }

    private void read(UUID[] ids, Map<UUID, @Nullable Current> current) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql.loadCurrent())) {
            select.setArray(1, connection.createArrayOf("uuid", ids));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    current.put(
                            rows.getObject(1, UUID.class),
                            new Current(
                                    rows.getString(2),
                                    rows.getString(3),
                                    rows.getLong(4),
                                    rows.getObject(5, OffsetDateTime.class).toInstant(),
                                    rows.getObject(6, OffsetDateTime.class).toInstant()));
                }
            }
        }
    }

    /** What the batch leaves, for the next batch of the same users; remembered before the commit, see the class. */
    private void remember(Map<UUID, @Nullable Current> current, Map<UUID, Long> lastVersions) {
        Map<UUID, RememberedCurrentRows.Remembered> rows = new HashMap<>(current.size() * 2);
        current.forEach((id, row) -> rows.put(id, new RememberedCurrentRows.Remembered(lastVersions.get(id), row)));
        remembered.remember(rows);
    }

    private void copyPeriods(List<ClosedPeriod> periods) throws SQLException {
        if (periods.isEmpty()) {
            return;
        }
        StringBuilder rows = new StringBuilder(periods.size() * 160);
        for (ClosedPeriod period : periods) {
            Current state = period.state();
            rows.append(period.userId()).append('\t').append(state.version()).append('\t');
            CopyText.append(rows, state.username()).append('\t');
            CopyText.append(rows, state.email()).append('\t');
            rows.append(state.createdAt())
                    .append('\t')
                    .append(state.updatedAt())
                    .append('\t');
            rows.append(period.validTo()).append('\n');
        }
        copy(sql.copyPeriods(), rows);
    }

    /** The current rows of users that nothing is stored of yet (a bulk load); deleted users have none. */
    private void copyCurrent(Map<UUID, @Nullable Current> current) throws SQLException {
        StringBuilder rows = new StringBuilder(current.size() * 140);
        current.forEach((id, state) -> {
            if (state != null) {
                rows.append(id).append('\t');
                CopyText.append(rows, state.username()).append('\t');
                CopyText.append(rows, state.email()).append('\t');
                rows.append(state.version())
                        .append('\t')
                        .append(state.createdAt())
                        .append('\t')
                        .append(state.updatedAt())
                        .append('\n');
            }
        });
        if (!rows.isEmpty()) {
            copy(sql.copyCurrent(), rows);
        }
    }

    private void copy(String statement, StringBuilder rows) throws SQLException {
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(statement, new StringReader(rows.toString()));
        } catch (java.io.IOException e) {
            throw new SQLException("could not copy rows into the users views", e);
        }
    }

    /**
     * The parameters that add the closed periods to the history and delete or upsert the current rows: the three
     * statements of {@link ViewStatements#writeBatch}, in one round trip, the one of the batch's
     * commit when nothing is copied after them. A statement given empty arrays writes nothing, so the text never
     * changes and stays prepared.
     */
    private ProjectionTransaction.Parameters writeBatch(List<ClosedPeriod> closed, Map<UUID, @Nullable Current> current)
            throws SQLException {
        List<UUID> deleted = new ArrayList<>();
        List<UUID> liveIds = new ArrayList<>();
        List<Current> live = new ArrayList<>();
        current.forEach((id, row) -> {
            if (row == null) {
                deleted.add(id);
            } else {
                liveIds.add(id);
                live.add(row);
            }
        });
        List<Current> states = closed.stream().map(ClosedPeriod::state).toList();
        List<Array> arrays = List.of(
                column("uuid", closed, ClosedPeriod::userId, UUID[]::new),
                column("bigint", states, Current::version, Long[]::new),
                column("text", states, Current::username, String[]::new),
                column("text", states, Current::email, String[]::new),
                timestamps(states.stream().map(Current::createdAt).toList()),
                timestamps(states.stream().map(Current::updatedAt).toList()),
                timestamps(closed.stream().map(ClosedPeriod::validTo).toList()),
                column("uuid", deleted, id -> id, UUID[]::new),
                column("uuid", liveIds, id -> id, UUID[]::new),
                column("text", live, Current::username, String[]::new),
                column("text", live, Current::email, String[]::new),
                column("bigint", live, Current::version, Long[]::new),
                timestamps(live.stream().map(Current::createdAt).toList()),
                timestamps(live.stream().map(Current::updatedAt).toList()));
        return (write, first) -> {
            for (Array array : arrays) {
                write.setArray(first++, array);
            }
            return first;
        };
    }

    /** One column of a batch's rows as an SQL array of {@code type}. */
    private <T, V> Array column(String type, List<T> rows, Function<T, V> value, IntFunction<V[]> newArray)
            throws SQLException {
        return connection.createArrayOf(type, rows.stream().map(value).toArray(newArray));
    }

    /** Instants as ISO-8601 text, which PostgreSQL reads as {@code timestamptz} to the microsecond. */
    private Array timestamps(List<Instant> instants) throws SQLException {
        String[] texts = new String[instants.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = instants.get(i).toString();
        }
        return connection.createArrayOf("text", texts);
    }
}
