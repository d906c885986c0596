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
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
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

    @Override
    public UserPage listAsOf(Instant instant, @Nullable String query, int page, int size) {
        OffsetDateTime at = instant.atOffset(ZoneOffset.UTC);
        Condition condition = USER_HISTORY
                .VALID_FROM
                .le(at)
                .and(USER_HISTORY.VALID_TO.isNull().or(USER_HISTORY.VALID_TO.gt(at)))
                .and(matching(query, USER_HISTORY.USERNAME, USER_HISTORY.EMAIL));
        long total = dsl.fetchCount(USER_HISTORY, condition);
        var items = dsl.selectFrom(USER_HISTORY)
                .where(condition)
                .orderBy(USER_HISTORY.USERNAME, USER_HISTORY.USER_ID)
                .limit(size)
                .offset((long) page * size)
                .fetch(row -> new UserView(
                        new UserId(row.getUserId()),
                        row.getUsername(),
                        row.getEmail(),
                        row.getVersion(),
                        row.getCreatedAt().toInstant(),
                        row.getValidFrom().toInstant()));
        return new UserPage(items, page, size, total);
    }

    private static Condition matching(
            @Nullable String query, org.jooq.Field<String> username, org.jooq.Field<String> email) {
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
