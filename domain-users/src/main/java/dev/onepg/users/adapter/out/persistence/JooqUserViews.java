package dev.onepg.users.adapter.out.persistence;

import static dev.onepg.db.jooq.users.Tables.CURRENT_USERS;
import static dev.onepg.db.jooq.users.Tables.USER_HISTORY;

import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.ProjectUserViews.Views;
import dev.onepg.users.application.port.in.UserPage;
import dev.onepg.users.application.port.in.UserView;
import dev.onepg.users.application.port.out.UserViewReads;
import dev.onepg.users.application.port.out.UserViewUpdates;
import dev.onepg.users.application.port.out.UserViewWrites;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Repository;

@Repository
class JooqUserViews implements UserViewReads, UserViewWrites {

    private final DSLContext dsl;
    private final RememberedCurrentRows remembered;

    JooqUserViews(DSLContext dsl, @Value("${onepg.users.remembered-view-rows:50000}") int rememberedViewRows) {
        this.dsl = dsl;
        this.remembered = new RememberedCurrentRows(rememberedViewRows);
    }

    @Override
    public Optional<UserView> find(UserId userId) {
        return dsl.selectFrom(CURRENT_USERS)
                .where(CURRENT_USERS.USER_ID.eq(userId.value()))
                .fetchOptional(JooqUserViews::toView);
    }

    @Override
    public UserPage list(@Nullable String query, int page, int size) {
        Condition condition = matching(query, CURRENT_USERS.USERNAME, CURRENT_USERS.EMAIL);
        long total = dsl.fetchCount(CURRENT_USERS, condition);
        var items = dsl.selectFrom(CURRENT_USERS)
                .where(condition)
                .orderBy(CURRENT_USERS.USERNAME, CURRENT_USERS.USER_ID)
                .limit(size)
                .offset((long) page * size)
                .fetch(JooqUserViews::toView);
        return new UserPage(items, page, size, total);
    }

    /**
     * The users as they were at {@code instant}: the closed periods of the history that contain it, and the current
     * rows whose open period had begun by then.
     */
    @Override
    public UserPage listAsOf(Instant instant, @Nullable String query, int page, int size) {
        OffsetDateTime at = instant.atOffset(ZoneOffset.UTC);
        Table<?> asOf = dsl.select(
                        USER_HISTORY.USER_ID,
                        USER_HISTORY.USERNAME,
                        USER_HISTORY.EMAIL,
                        USER_HISTORY.VERSION,
                        USER_HISTORY.CREATED_AT,
                        USER_HISTORY.VALID_FROM)
                .from(USER_HISTORY)
                .where(USER_HISTORY.VALID_FROM.le(at), USER_HISTORY.VALID_TO.gt(at))
                .and(matching(query, USER_HISTORY.USERNAME, USER_HISTORY.EMAIL))
                .unionAll(dsl.select(
                                CURRENT_USERS.USER_ID,
                                CURRENT_USERS.USERNAME,
                                CURRENT_USERS.EMAIL,
                                CURRENT_USERS.VERSION,
                                CURRENT_USERS.CREATED_AT,
                                CURRENT_USERS.UPDATED_AT)
                        .from(CURRENT_USERS)
                        .where(CURRENT_USERS.UPDATED_AT.le(at))
                        .and(matching(query, CURRENT_USERS.USERNAME, CURRENT_USERS.EMAIL)))
                .asTable("as_of");
        Field<UUID> userId = asOf.field(USER_HISTORY.USER_ID);
        Field<String> username = asOf.field(USER_HISTORY.USERNAME);
        Field<String> email = asOf.field(USER_HISTORY.EMAIL);
        Field<Long> version = asOf.field(USER_HISTORY.VERSION);
        Field<OffsetDateTime> createdAt = asOf.field(USER_HISTORY.CREATED_AT);
        Field<OffsetDateTime> validFrom = asOf.field(USER_HISTORY.VALID_FROM);
        long total = dsl.fetchCount(asOf);
        var items = dsl.select(userId, username, email, version, createdAt, validFrom)
                .from(asOf)
                .orderBy(username, userId)
                .limit(size)
                .offset((long) page * size)
                .fetch(row -> new UserView(
                        new UserId(row.value1()),
                        row.value2(),
                        row.value3(),
                        row.value4(),
                        row.value5().toInstant(),
                        row.value6().toInstant()));
        return new UserPage(items, page, size, total);
    }

    private static Condition matching(@Nullable String query, Field<String> username, Field<String> email) {
        if (query == null || query.isBlank()) {
            return DSL.trueCondition();
        }
        return username.containsIgnoreCase(query).or(email.containsIgnoreCase(query));
    }

    @Override
    public UserViewUpdates updatesIn(ProjectionTransaction transaction, Views views) {
        ViewStatements statements = switch (views) {
            case LIVE -> ViewStatements.LIVE;
            case NEXT -> ViewStatements.NEXT;
            case NEXT_BULK -> ViewStatements.NEXT_BULK;
        };
        return new SetBasedUserViewUpdates(transaction, statements, remembered);
    }

    @Override
    public void prepareNext(ProjectionTransaction transaction) {
        NextViews.create(DSL.using(transaction.connection(), SQLDialect.POSTGRES));
    }

    @Override
    public void finishNext(ProjectionTransaction transaction) {
        NextViews.finish(DSL.using(transaction.connection(), SQLDialect.POSTGRES));
    }

    @Override
    public void promoteNext(ProjectionTransaction transaction) {
        NextViews.promote(DSL.using(transaction.connection(), SQLDialect.POSTGRES));
    }

    @Override
    public void discardNext(ProjectionTransaction transaction) {
        NextViews.drop(DSL.using(transaction.connection(), SQLDialect.POSTGRES));
    }

    private static UserView toView(Record row) {
        return new UserView(
                new UserId(row.get(CURRENT_USERS.USER_ID)),
                row.get(CURRENT_USERS.USERNAME),
                row.get(CURRENT_USERS.EMAIL),
                row.get(CURRENT_USERS.VERSION),
                row.get(CURRENT_USERS.CREATED_AT).toInstant(),
                row.get(CURRENT_USERS.UPDATED_AT).toInstant());
    }
}
