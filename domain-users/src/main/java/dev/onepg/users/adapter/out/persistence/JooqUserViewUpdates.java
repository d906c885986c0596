package dev.onepg.users.adapter.out.persistence;

import static dev.onepg.db.jooq.users.Tables.CURRENT_USERS;
import static dev.onepg.db.jooq.users.Tables.USER_HISTORY;

import dev.onepg.db.jooq.users.tables.records.CurrentUsersRecord;
import dev.onepg.db.jooq.users.tables.records.UserHistoryRecord;
import dev.onepg.users.UserId;
import dev.onepg.users.application.port.out.UserViewChange;
import dev.onepg.users.application.port.out.UserViewUpdates;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Applies a batch of changes with a handful of set-based statements instead of several per event: the states
 * of the users it touches are read once, the changes are folded in memory in order, and the results are
 * written at the end. That is what lets a rebuild run through a million events quickly.
 */
final class JooqUserViewUpdates implements UserViewUpdates {

    private final DSLContext transaction;

    JooqUserViewUpdates(DSLContext transaction) {
        this.transaction = transaction;
    }

    /** The current row of a user while the batch is folded; {@code null} in the map once deleted. */
    private record Current(
            String username, String email, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {}

    @Override
    public void apply(List<UserViewChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Map<UUID, Current> current = load(changes);
        Map<UUID, OffsetDateTime> closeEarlierPeriodAt = new LinkedHashMap<>();
        Map<UUID, UserHistoryRecord> openPeriod = new HashMap<>();
        List<UserHistoryRecord> periods = new ArrayList<>();
        for (UserViewChange change : changes) {
            UUID id = change.userId().value();
            OffsetDateTime at = change.at().atOffset(ZoneOffset.UTC);
            Current next = switch (change) {
                case UserViewChange.Created created ->
                    new Current(created.username(), created.email(), created.version(), at, at);
                case UserViewChange.Changed changed -> {
                    Current before = current.get(id);
                    if (before == null) {
                        throw new IllegalStateException(
                                "user " + id + " changed at version " + changed.version() + " but has no current row");
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
            if (!(change instanceof UserViewChange.Created)) {
                UserHistoryRecord open = openPeriod.remove(id);
                if (open != null) {
                    open.setValidTo(at);
                } else {
                    closeEarlierPeriodAt.putIfAbsent(id, at);
                }
            }
            current.put(id, next);
            if (next != null) {
                UserHistoryRecord period = new UserHistoryRecord(
                        id, next.version(), next.username(), next.email(), next.createdAt(), at, null);
                periods.add(period);
                openPeriod.put(id, period);
            }
        }
        closeEarlierPeriods(closeEarlierPeriodAt);
        if (!periods.isEmpty()) {
            transaction.batchInsert(periods).execute();
        }
        writeCurrent(current);
    }

    private Map<UUID, Current> load(List<UserViewChange> changes) {
        List<UUID> ids = changes.stream()
                .map(UserViewChange::userId)
                .map(UserId::value)
                .distinct()
                .toList();
        Map<UUID, Current> current = new HashMap<>();
        transaction
                .selectFrom(CURRENT_USERS)
                .where(CURRENT_USERS.USER_ID.in(ids))
                .forEach(row -> current.put(
                        row.getUserId(),
                        new Current(
                                row.getUsername(),
                                row.getEmail(),
                                row.getVersion(),
                                row.getCreatedAt(),
                                row.getUpdatedAt())));
        return current;
    }

    private void closeEarlierPeriods(Map<UUID, OffsetDateTime> closeAt) {
        if (closeAt.isEmpty()) {
            return;
        }
        var closing = DSL.values(closeAt.entrySet().stream()
                        .map(entry -> DSL.row(entry.getKey(), entry.getValue()))
                        .toArray(org.jooq.Row2[]::new))
                .as("closing", "user_id", "valid_to");
        transaction
                .update(USER_HISTORY)
                .set(USER_HISTORY.VALID_TO, closing.field("valid_to", OffsetDateTime.class))
                .from(closing)
                .where(USER_HISTORY.USER_ID.eq(closing.field("user_id", UUID.class)))
                .and(USER_HISTORY.VALID_TO.isNull())
                .execute();
    }

    private void writeCurrent(Map<UUID, Current> current) {
        List<UUID> deleted = current.entrySet().stream()
                .filter(entry -> entry.getValue() == null)
                .map(Map.Entry::getKey)
                .toList();
        if (!deleted.isEmpty()) {
            transaction
                    .deleteFrom(CURRENT_USERS)
                    .where(CURRENT_USERS.USER_ID.in(deleted))
                    .execute();
        }
        List<CurrentUsersRecord> live = current.entrySet().stream()
                .filter(entry -> entry.getValue() != null)
                .map(entry -> new CurrentUsersRecord(
                        entry.getKey(),
                        entry.getValue().username(),
                        entry.getValue().email(),
                        entry.getValue().version(),
                        entry.getValue().createdAt(),
                        entry.getValue().updatedAt()))
                .toList();
        if (live.isEmpty()) {
            return;
        }
        var insert = transaction.insertInto(
                CURRENT_USERS,
                CURRENT_USERS.USER_ID,
                CURRENT_USERS.USERNAME,
                CURRENT_USERS.EMAIL,
                CURRENT_USERS.VERSION,
                CURRENT_USERS.CREATED_AT,
                CURRENT_USERS.UPDATED_AT);
        for (CurrentUsersRecord row : live) {
            insert = insert.values(
                    row.getUserId(),
                    row.getUsername(),
                    row.getEmail(),
                    row.getVersion(),
                    row.getCreatedAt(),
                    row.getUpdatedAt());
        }
        insert.onConflict(CURRENT_USERS.USER_ID)
                .doUpdate()
                .set(CURRENT_USERS.USERNAME, DSL.excluded(CURRENT_USERS.USERNAME))
                .set(CURRENT_USERS.EMAIL, DSL.excluded(CURRENT_USERS.EMAIL))
                .set(CURRENT_USERS.VERSION, DSL.excluded(CURRENT_USERS.VERSION))
                .set(CURRENT_USERS.UPDATED_AT, DSL.excluded(CURRENT_USERS.UPDATED_AT))
                .execute();
    }
}
