package dev.onepg.users.adapter.in.events;

import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.eventstore.RebuildableProjection;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.users.UserEvent;
import dev.onepg.users.UserEventTypes;
import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.ProjectUserViews;
import dev.onepg.users.application.port.in.ProjectUserViews.RebuildStep;
import dev.onepg.users.application.port.in.ProjectUserViews.Views;
import dev.onepg.users.application.port.in.UserViewChange;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Keeps the users views: the current users and the history of their states; rebuildable beside them. */
@Component
class UserViewProjector implements RebuildableProjection {

    /** Asked for every event of the log ({@link #handles}): built once, not per call. */
    private static final Set<String> EVENT_TYPES = UserEventTypes.TABLE.names();

    private final ProjectUserViews views;
    private final Views target;

    @Autowired
    UserViewProjector(ProjectUserViews views) {
        this(views, Views.LIVE);
    }

    private UserViewProjector(ProjectUserViews views, Views target) {
        this.views = views;
        this.target = target;
    }

    @Override
    public Projection next() {
        return new UserViewProjector(views, Views.NEXT);
    }

    @Override
    public Projection bulkLoadNext() {
        return new UserViewProjector(views, Views.NEXT_BULK);
    }

    /** A user's rows follow from the user's own events alone. */
    @Override
    public boolean bulkLoadsByStream() {
        return true;
    }

    @Override
    public void prepareNext(ProjectionTransaction transaction) {
        views.rebuild(RebuildStep.PREPARE, transaction);
    }

    @Override
    public void finishNext(ProjectionTransaction transaction) {
        views.rebuild(RebuildStep.FINISH, transaction);
    }

    @Override
    public void promoteNext(ProjectionTransaction transaction) {
        views.rebuild(RebuildStep.PROMOTE, transaction);
    }

    @Override
    public void discardNext(ProjectionTransaction transaction) {
        views.rebuild(RebuildStep.DISCARD, transaction);
    }

    @Override
    public String name() {
        return ProjectUserViews.PROJECTION;
    }

    @Override
    public Set<String> eventTypes() {
        return EVENT_TYPES;
    }

    @Override
    public void apply(RecordedEvent event, ProjectionTransaction transaction) {
        views.apply(List.of(toChange(event)), target, transaction);
    }

    /** A whole batch in a few set-based statements: what makes a rebuild fast. */
    @Override
    public void apply(List<RecordedEvent> events, ProjectionTransaction transaction) {
        views.apply(events.stream().map(UserViewProjector::toChange).toList(), target, transaction);
    }

    private static UserViewChange toChange(RecordedEvent event) {
        UserId userId = new UserId(UUID.fromString(event.stream().id()));
        long version = event.version();
        Instant at = event.recordedAt();
        return switch (UserEventTypes.TABLE.decode(event)) {
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
