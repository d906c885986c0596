package dev.onepg.eventstore.postgres;

import static dev.onepg.db.jooq.eventstore.Tables.EVENTS;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.val;
import static org.jooq.impl.DSL.values;

import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.DuplicateEventId;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.StreamQuery;
import dev.onepg.eventstore.UniqueKey;
import dev.onepg.eventstore.UniqueKeyTaken;
import dev.onepg.eventstore.WrongExpectedVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record1;
import org.jooq.Record9;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * The event store on PostgreSQL.
 *
 * <p>An append with a numeric expected version (the common case: a command decided on a stream it has read) is a
 * plain insert of the next versions ({@link KnownVersionInsert}); the unique index on (stream, version) settles
 * races. An append expecting "any version" or "an existing stream" is one {@code INSERT ... SELECT} that computes
 * the next versions from the stream's current one and inserts nothing unless the expectation holds. Only when a
 * statement stores nothing or hits a unique index does a second look tell a retry of an earlier append (answered
 * with the original result) from a conflict. Unique keys are claimed and released in the append's transaction; a
 * one-event append with a known expected version does both in its one statement ({@link KeyedInsert}).
 */
public final class PostgresEventStore implements EventStore {

    private static final int MAX_ATTEMPTS_FOR_ANY_VERSION = 20;
    private static final String UNIQUE_VIOLATION = "23505";

    private static final String RELEASE_KEY = "DELETE FROM eventstore.unique_keys"
            + " WHERE scope = ? AND value = ? AND stream_type = ? AND stream_id = ?";
    private static final String CLAIM_KEY = "INSERT INTO eventstore.unique_keys (scope, value, stream_type, stream_id)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String HOLDS_KEY = "SELECT EXISTS (SELECT FROM eventstore.unique_keys"
            + " WHERE scope = ? AND value = ? AND stream_type = ? AND stream_id = ?)";

    /**
     * One-event appends run one statement at a time; appends that arrive while it runs wait and go together in the
     * next, one transaction for all of them. A transaction costs the server the same whatever its row, so on a
     * 2-core machine one statement at a time appended a fifth faster than two at 8 threads and held the views'
     * lag at 50 % of the HTTP rate under 30 ms p99 where two did not (see docs/benchmarks.md). A single appender
     * never waits, and a statement that hangs holds only its own appends ({@link AppendCombiner#STALLED_AFTER}).
     */
    public static final int DEFAULT_COMBINED_STATEMENTS = 1;

    private static final int MAX_COMBINED_ROWS = 256;

    private final DataSource dataSource;
    private final DSLContext dsl;
    private final AppendObserver observer;
    private final SeenVersions seen = new SeenVersions(SeenVersions.DEFAULT_SLOTS);
    private final @Nullable AppendCombiner combiner;

    /**
     * @param combinedStatements how many statements that combine concurrent one-event appends may run at once
     *     (fewer than the appending threads, or nothing is combined); 0 appends each on its own
     */
    public PostgresEventStore(DataSource dataSource, AppendObserver observer, int combinedStatements) {
        this.dataSource = dataSource;
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
        this.observer = observer;
        this.combiner = combinedStatements > 0
                ? new AppendCombiner(dataSource, seen, combinedStatements, MAX_COMBINED_ROWS)
                : null;
    }

    public PostgresEventStore(DataSource dataSource, AppendObserver observer) {
        this(dataSource, observer, DEFAULT_COMBINED_STATEMENTS);
    }

    public PostgresEventStore(DataSource dataSource) {
        this(dataSource, AppendObserver.NONE);
    }

    @Override
    public AppendResult append(AppendRequest request) {
        if (combiner != null && AppendCombiner.accepts(request)) {
            AppendCombiner.Stored combined = combiner.append(request);
            if (combined != null) {
                return stored(combined.result(), combined.committedBy());
            }
        }
        for (int attempt = 1; ; attempt++) {
            if (store(request) instanceof Attempt.Stored(AppendResult result, long committedBy)) {
                return stored(result, committedBy);
            }
            AppendResult original = earlierAppendOf(request);
            if (original != null) {
                seen.seen(original.stream(), original.lastVersion());
                return original;
            }
            long actual = currentVersion(request.stream());
            boolean lostARace = request.expectedVersion().accepts(actual);
            if (!lostARace || attempt >= MAX_ATTEMPTS_FOR_ANY_VERSION) {
                throw new WrongExpectedVersion(request.stream(), request.expectedVersion(), actual);
            }
        }
    }

    private AppendResult stored(AppendResult result, long committedBy) {
        seen.seen(result.stream(), result.lastVersion());
        observer.appended(result, committedBy);
        return result;
    }

    /** Stores the request in one transaction (one statement without unique keys). */
    private Attempt store(AppendRequest request) {
        boolean keysInStatement = KeyedInsert.accepts(request);
        boolean keysAfter = !keysInStatement
                && (!request.claims().isEmpty() || !request.releases().isEmpty());
        try (Connection connection = dataSource.getConnection()) {
            AppendResult stored = JdbcTransactions.inTransaction(connection, !keysAfter, transaction -> {
                AppendResult result = keysInStatement
                        ? KeyedInsert.insert(transaction, request, knownExpectedVersion(request))
                        : insert(transaction, request);
                if (result != null && keysAfter) {
                    changeKeys(transaction, request);
                }
                return result;
            });
            return stored == null ? Attempt.NOTHING_STORED : new Attempt.Stored(stored, System.nanoTime());
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return Attempt.NOTHING_STORED;
            }
            throw new DataAccessException("Appending to " + request.stream() + " failed: " + e.getMessage(), e);
        } catch (DataAccessException e) {
            if (UNIQUE_VIOLATION.equals(e.sqlState())) {
                return Attempt.NOTHING_STORED;
            }
            throw e;
        }
    }

    /**
     * What one try to store an append came to: stored, or nothing stored because the expected version did not
     * hold or a version or event id was taken (a lost race, a conflict or the retry of an earlier append).
     */
    private sealed interface Attempt {

        Attempt NOTHING_STORED = new NothingStored();

        /** @param committedBy see {@link AppendObserver#appended} */
        record Stored(AppendResult result, long committedBy) implements Attempt {}

        record NothingStored() implements Attempt {}
    }

    private static long knownExpectedVersion(AppendRequest request) {
        return request.expectedVersion() instanceof ExpectedVersion.Exactly exactly ? exactly.version() : 0;
    }

    /** The events stored; {@code null} if the expected version did not hold. */
    private @Nullable AppendResult insert(Connection connection, AppendRequest request) throws SQLException {
        return switch (request.expectedVersion()) {
            case ExpectedVersion.Exactly exactly ->
                KnownVersionInsert.insert(
                        connection, request, exactly.version(), seen.stored(request.stream(), exactly.version()));
            case ExpectedVersion.NoStream noStream -> KnownVersionInsert.insert(connection, request, 0, true);
            case ExpectedVersion.Any any -> insert(DSL.using(connection, SQLDialect.POSTGRES), request);
            case ExpectedVersion.StreamExists exists -> insert(DSL.using(connection, SQLDialect.POSTGRES), request);
        };
    }

    private static void changeKeys(Connection connection, AppendRequest request) throws SQLException {
        StreamId stream = request.stream();
        for (UniqueKey key : request.releases()) {
            try (PreparedStatement release = connection.prepareStatement(RELEASE_KEY)) {
                bindKey(release, key, stream);
                release.executeUpdate();
            }
        }
        for (UniqueKey key : request.claims()) {
            int claimed;
            try (PreparedStatement claim = connection.prepareStatement(CLAIM_KEY)) {
                bindKey(claim, key, stream);
                claimed = claim.executeUpdate();
            }
            if (claimed == 0 && !holds(connection, stream, key)) {
                throw new UniqueKeyTaken(key);
            }
        }
    }

    private static boolean holds(Connection connection, StreamId stream, UniqueKey key) throws SQLException {
        try (PreparedStatement holds = connection.prepareStatement(HOLDS_KEY)) {
            bindKey(holds, key, stream);
            try (ResultSet result = holds.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private static void bindKey(PreparedStatement statement, UniqueKey key, StreamId stream) throws SQLException {
        statement.setString(1, key.scope());
        statement.setString(2, key.value());
        statement.setString(3, stream.type());
        statement.setString(4, stream.id());
    }

    /** The insert of an append expecting any version or an existing stream; {@code null} if it stored nothing. */
    private static @Nullable AppendResult insert(DSLContext dsl, AppendRequest request) {
        StreamId stream = request.stream();
        CommonTableExpression<Record1<Long>> current = name("current")
                .fields("version")
                .as(select(coalesce(max(EVENTS.VERSION), 0L))
                        .from(EVENTS)
                        .where(EVENTS.STREAM_TYPE.eq(stream.type()))
                        .and(EVENTS.STREAM_ID.eq(stream.id())));
        Field<Long> currentVersion = current.field("version", Long.class);
        NewEvents events = new NewEvents(request.events());

        var stored = dsl.with(current)
                .insertInto(
                        EVENTS,
                        EVENTS.EVENT_ID,
                        EVENTS.STREAM_TYPE,
                        EVENTS.STREAM_ID,
                        EVENTS.VERSION,
                        EVENTS.EVENT_TYPE,
                        EVENTS.SCHEMA_VERSION,
                        EVENTS.PAYLOAD,
                        EVENTS.ACTOR,
                        EVENTS.CORRELATION_ID,
                        EVENTS.CAUSATION_ID,
                        EVENTS.HEADERS)
                .select(select(
                                events.eventId(),
                                val(stream.type()),
                                val(stream.id()),
                                currentVersion.plus(events.ordinal()),
                                events.type(),
                                events.schemaVersion(),
                                events.payload(),
                                events.actor(),
                                events.correlationId(),
                                events.causationId(),
                                events.headers())
                        .from(current)
                        .crossJoin(events.table())
                        .where(accepts(request.expectedVersion(), currentVersion))
                        .orderBy(events.ordinal()))
                .returning(EVENTS.EVENT_ID, EVENTS.VERSION, EVENTS.POSITION)
                .fetch();
        if (stored.isEmpty()) {
            return null;
        }
        Map<UUID, AppendResult.Appended> byId = new HashMap<>();
        stored.forEach(row -> byId.put(
                row.get(EVENTS.EVENT_ID),
                new AppendResult.Appended(
                        row.get(EVENTS.EVENT_ID), row.get(EVENTS.VERSION), row.get(EVENTS.POSITION))));
        return new AppendResult(
                stream,
                request.events().stream()
                        .map(event -> byId.get(event.eventId()))
                        .toList());
    }

    private static Condition accepts(ExpectedVersion expected, Field<Long> currentVersion) {
        return switch (expected) {
            case ExpectedVersion.Any any -> DSL.trueCondition();
            case ExpectedVersion.NoStream noStream -> currentVersion.eq(0L);
            case ExpectedVersion.StreamExists exists -> currentVersion.gt(0L);
            case ExpectedVersion.Exactly exactly -> currentVersion.eq(exactly.version());
        };
    }

    /**
     * The result of an earlier append of the same events, if the request is its retry; {@code null} if none of
     * its event ids is stored.
     *
     * @throws DuplicateEventId if some are stored, but not as this request would have stored them
     */
    private AppendResult earlierAppendOf(AppendRequest request) {
        NewEvents events = new NewEvents(request.events());
        StreamId stream = request.stream();
        Field<Boolean> sameContent = field(EVENTS.STREAM_TYPE
                .eq(stream.type())
                .and(EVENTS.STREAM_ID.eq(stream.id()))
                .and(EVENTS.EVENT_TYPE.eq(events.type()))
                .and(EVENTS.SCHEMA_VERSION.eq(events.schemaVersion()))
                .and(EVENTS.PAYLOAD.eq(events.payload())));
        var stored = dsl.select(events.ordinal(), EVENTS.EVENT_ID, EVENTS.VERSION, EVENTS.POSITION, sameContent)
                .from(events.table())
                .join(EVENTS)
                .on(EVENTS.EVENT_ID.eq(events.eventId()))
                .orderBy(events.ordinal())
                .fetch();
        if (stored.isEmpty()) {
            return null;
        }
        for (var row : stored) {
            if (!row.value5()) {
                throw new DuplicateEventId(row.value2(), "by an event with other content");
            }
        }
        if (stored.size() < request.events().size()) {
            throw new DuplicateEventId(
                    stored.getFirst().value2(), "by an earlier append that this batch does not repeat");
        }
        List<AppendResult.Appended> appended = new ArrayList<>();
        for (var row : stored) {
            appended.add(new AppendResult.Appended(row.value2(), row.value3(), row.value4()));
        }
        for (int i = 1; i < appended.size(); i++) {
            if (appended.get(i).version() != appended.get(i - 1).version() + 1) {
                throw new DuplicateEventId(appended.get(i).eventId(), "by an earlier append of a different batch");
            }
        }
        return new AppendResult(stream, appended, true);
    }

    @Override
    public List<RecordedEvent> read(StreamId stream, StreamQuery query) {
        Condition condition = EVENTS.STREAM_TYPE
                .eq(stream.type())
                .and(EVENTS.STREAM_ID.eq(stream.id()))
                .and(EVENTS.VERSION.between(query.fromVersion(), query.toVersion()));
        if (query.recordedUntil() != null) {
            condition =
                    condition.and(EVENTS.RECORDED_AT.le(query.recordedUntil().atOffset(ZoneOffset.UTC)));
        }
        List<RecordedEvent> events =
                dsl.selectFrom(EVENTS).where(condition).orderBy(EVENTS.VERSION).fetch(EventRecords::toRecordedEvent);
        if (!events.isEmpty()) {
            seen.seen(stream, events.getLast().version());
        }
        return events;
    }

    @Override
    public long currentVersion(StreamId stream) {
        return dsl.select(coalesce(max(EVENTS.VERSION), 0L))
                .from(EVENTS)
                .where(EVENTS.STREAM_TYPE.eq(stream.type()))
                .and(EVENTS.STREAM_ID.eq(stream.id()))
                .fetchSingle()
                .value1();
    }

    @Override
    public List<RecordedEvent> readAfter(Checkpoint checkpoint, int limit) {
        return GlobalLog.readAfter(dsl, checkpoint, limit);
    }

    /** The events of a request as a {@code VALUES} table, numbered in order from 1. */
    private record NewEvents(Table<Record9<Long, UUID, String, Integer, JSONB, String, String, String, JSONB>> table) {

        NewEvents(List<NewEvent> events) {
            this(values(rows(events))
                    .as(
                            "new_events",
                            "ordinal",
                            "event_id",
                            "event_type",
                            "schema_version",
                            "payload",
                            "actor",
                            "correlation_id",
                            "causation_id",
                            "headers"));
        }

        @SuppressWarnings("unchecked")
        private static org.jooq.Row9<Long, UUID, String, Integer, JSONB, String, String, String, JSONB>[] rows(
                List<NewEvent> events) {
            org.jooq.Row9<Long, UUID, String, Integer, JSONB, String, String, String, JSONB>[] rows =
                    new org.jooq.Row9[events.size()];
            for (int i = 0; i < events.size(); i++) {
                NewEvent event = events.get(i);
                rows[i] = row(
                        (long) i + 1,
                        event.eventId(),
                        event.type(),
                        event.schemaVersion(),
                        JSONB.jsonb(event.payload()),
                        event.metadata().actor(),
                        event.metadata().correlationId(),
                        event.metadata().causationId(),
                        Headers.toJson(event.metadata().headers()));
            }
            return rows;
        }

        Field<Long> ordinal() {
            return table.field("ordinal", Long.class);
        }

        Field<UUID> eventId() {
            return table.field("event_id", UUID.class);
        }

        Field<String> type() {
            return table.field("event_type", String.class);
        }

        Field<Integer> schemaVersion() {
            return table.field("schema_version", Integer.class);
        }

        Field<JSONB> payload() {
            return table.field("payload", JSONB.class);
        }

        Field<String> actor() {
            return table.field("actor", String.class);
        }

        Field<String> correlationId() {
            return table.field("correlation_id", String.class);
        }

        Field<String> causationId() {
            return table.field("causation_id", String.class);
        }

        Field<JSONB> headers() {
            return table.field("headers", JSONB.class);
        }
    }
}
