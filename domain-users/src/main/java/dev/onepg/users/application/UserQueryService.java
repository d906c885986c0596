package dev.onepg.users.application;

import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.ProjectionProgress;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamQuery;
import dev.onepg.users.UserEventTypes;
import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.HistoryEntry;
import dev.onepg.users.application.port.in.ProjectUserViews;
import dev.onepg.users.application.port.in.UserPage;
import dev.onepg.users.application.port.in.UserQueries;
import dev.onepg.users.application.port.in.UserView;
import dev.onepg.users.application.port.in.ViewsBehind;
import dev.onepg.users.application.port.out.UserViewReads;
import dev.onepg.users.domain.User;
import dev.onepg.users.domain.UserDecider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** Current state from the views; past state folded from the events, or from the history view for lists. */
@Service
class UserQueryService implements UserQueries {

    private final UserViewReads views;
    private final EventStore store;
    private final ProjectionProgress progress;
    private final Duration readYourWritesTimeout;
    private final UserDecider decider = new UserDecider();

    UserQueryService(UserViewReads views, EventStore store, ProjectionProgress progress, UsersProperties properties) {
        this.views = views;
        this.store = store;
        this.progress = progress;
        this.readYourWritesTimeout = properties.readYourWritesTimeout();
    }

    @Override
    public void awaitPosition(long position) {
        try {
            if (!progress.awaitPosition(ProjectUserViews.PROJECTION, position, readYourWritesTimeout)) {
                throw new ViewsBehind(position, readYourWritesTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ViewsBehind(position, readYourWritesTimeout);
        }
    }

    @Override
    public Optional<UserView> find(UserId userId) {
        return views.find(userId);
    }

    @Override
    public Optional<UserView> findAsOf(UserId userId, Instant instant) {
        return fold(userId, store.read(UserStreams.of(userId), StreamQuery.asOf(instant)));
    }

    @Override
    public Optional<UserView> findAtVersion(UserId userId, long version) {
        List<RecordedEvent> events = store.read(UserStreams.of(userId), StreamQuery.upToVersion(version));
        if (events.isEmpty() || events.getLast().version() != version) {
            return Optional.empty();
        }
        return fold(userId, events);
    }

    private Optional<UserView> fold(UserId userId, List<RecordedEvent> events) {
        if (!(decider.fold(UserEventTypes.TABLE.decode(events)) instanceof User.Active active)) {
            return Optional.empty();
        }
        return Optional.of(new UserView(
                userId,
                active.username(),
                active.email(),
                events.getLast().version(),
                events.getFirst().recordedAt(),
                events.getLast().recordedAt()));
    }

    @Override
    public UserPage list(@Nullable String query, int page, int size) {
        return views.list(query, page, size);
    }

    @Override
    public UserPage listAsOf(Instant instant, @Nullable String query, int page, int size) {
        return views.listAsOf(instant, query, page, size);
    }

    @Override
    public Optional<List<HistoryEntry>> history(UserId userId) {
        List<RecordedEvent> events = store.read(UserStreams.of(userId));
        if (events.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(events.stream()
                .map(event -> new HistoryEntry(
                        event.eventId(),
                        event.type(),
                        event.version(),
                        event.position(),
                        event.recordedAt(),
                        event.metadata().actor(),
                        event.metadata().correlationId(),
                        UserEventTypes.publicData(event)))
                .toList());
    }
}
