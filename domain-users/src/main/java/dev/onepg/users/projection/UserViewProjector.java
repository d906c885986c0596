package dev.onepg.users.projection;

import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.eventstore.RebuildableProjection;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.users.UserEvent;
import dev.onepg.users.UserId;
import dev.onepg.users.application.UserEventCodec;
import dev.onepg.users.application.port.out.UserViewChange;
import dev.onepg.users.application.port.out.UserViewUpdates;
import dev.onepg.users.application.port.out.UserViews;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Keeps the users views: the current users and the history of their states; rebuildable beside them. */
@Component
class UserViewProjector implements RebuildableProjection {

    private final UserViews views;
    private final UserEventCodec codec;
    private final Function<ProjectionTransaction, UserViewUpdates> updates;

    @Autowired
    UserViewProjector(UserViews views, UserEventCodec codec) {
        this(views, codec, views::updatesIn);
    }

    private UserViewProjector(
            UserViews views, UserEventCodec codec, Function<ProjectionTransaction, UserViewUpdates> updates) {
        this.views = views;
        this.codec = codec;
        this.updates = updates;
    }

    @Override
    public Projection next() {
        return new UserViewProjector(views, codec, views::nextUpdatesIn);
    }

    @Override
    public Projection bulkLoadNext() {
        return new UserViewProjector(views, codec, views::bulkNextUpdatesIn);
    }

    @Override
    public void prepareNext(ProjectionTransaction transaction) {
        views.prepareNext(transaction);
    }

    @Override
    public void finishNext(ProjectionTransaction transaction) {
        views.finishNext(transaction);
    }

    @Override
    public void promoteNext(ProjectionTransaction transaction) {
        views.promoteNext(transaction);
    }

    @Override
    public void discardNext(ProjectionTransaction transaction) {
        views.discardNext(transaction);
    }

    @Override
    public String name() {
        return UserViews.PROJECTION;
    }

    @Override
    public Set<String> eventTypes() {
        return UserEvent.TYPES;
    }

    @Override
    public void apply(RecordedEvent event, ProjectionTransaction transaction) {
        updates.apply(transaction).apply(List.of(toChange(event)));
    }

    /** A whole batch in a few set-based statements: what makes a rebuild fast. */
    @Override
    public void apply(List<RecordedEvent> events, ProjectionTransaction transaction) {
        updates.apply(transaction).apply(events.stream().map(this::toChange).toList());
    }

    private UserViewChange toChange(RecordedEvent event) {
        UserId userId = new UserId(UUID.fromString(event.stream().id()));
        long version = event.version();
        Instant at = event.recordedAt();
        return switch (codec.decode(event)) {
            case UserEvent.UserCreated created ->
                new UserViewChange.Created(userId, created.username(), created.email(), version, at);
            case UserEvent.UsernameChanged changed ->
                new UserViewChange.Changed(userId, changed.username(), null, version, at);
            case UserEvent.EmailChanged changed ->
                new UserViewChange.Changed(userId, null, changed.email(), version, at);
            case UserEvent.PasswordChanged changed -> new UserViewChange.Changed(userId, null, null, version, at);
            case UserEvent.UserReverted reverted ->
                new UserViewChange.Changed(userId, reverted.username(), reverted.email(), version, at);
            case UserEvent.UserDeleted deleted -> new UserViewChange.Deleted(userId, version, at);
        };
    }
}
