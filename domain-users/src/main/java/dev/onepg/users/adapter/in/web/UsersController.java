package dev.onepg.users.adapter.in.web;

import dev.onepg.contracts.users.api.UsersApi;
import dev.onepg.contracts.users.model.EventRecorded;
import dev.onepg.contracts.users.model.RecordUserEventRequest;
import dev.onepg.contracts.users.model.RevertUserRequest;
import dev.onepg.contracts.users.model.User;
import dev.onepg.contracts.users.model.UserHistory;
import dev.onepg.contracts.users.model.UserPage;
import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.application.port.in.RecordUserEvent;
import dev.onepg.users.application.port.in.RecordUserEventUseCase;
import dev.onepg.users.application.port.in.RevertUser;
import dev.onepg.users.application.port.in.RevertUserUseCase;
import dev.onepg.users.application.port.in.UserQueries;
import dev.onepg.users.application.port.in.UserView;
import dev.onepg.users.application.port.in.VersionConflict;
import dev.onepg.users.domain.InvalidUserData;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

@RestController
class UsersController implements UsersApi {

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final RecordUserEventUseCase recordUserEvent;
    private final RevertUserUseCase revertUser;
    private final UserQueries queries;
    private final UserWebMapper mapper;
    private final RequestActor actor;

    UsersController(
            RecordUserEventUseCase recordUserEvent,
            RevertUserUseCase revertUser,
            UserQueries queries,
            UserWebMapper mapper,
            RequestActor actor) {
        this.recordUserEvent = recordUserEvent;
        this.revertUser = revertUser;
        this.queries = queries;
        this.mapper = mapper;
        this.actor = actor;
    }

    @Override
    public ResponseEntity<EventRecorded> recordUserEvent(
            UUID userId, RecordUserEventRequest request, @Nullable String ifMatch) {
        Long expectedVersion = expectedVersion(request.getExpectedVersion(), ifMatch);
        RecordUserEvent command = new RecordUserEvent(
                new UserId(userId),
                request.getEventId(),
                UserChangeReader.read(request.getType(), request.getData()),
                expectedVersion,
                actor.current());
        return written(ifMatch, () -> recordUserEvent.record(command));
    }

    @Override
    public ResponseEntity<EventRecorded> revertUser(UUID userId, RevertUserRequest request, @Nullable String ifMatch) {
        Long expectedVersion = expectedVersion(request.getExpectedVersion(), ifMatch);
        RevertUser command = new RevertUser(
                new UserId(userId), request.getEventId(), request.getToVersion(), expectedVersion, actor.current());
        return written(ifMatch, () -> revertUser.revert(command));
    }

    @Override
    public ResponseEntity<UserPage> listUsers(
            Integer page, Integer size, @Nullable String q, @Nullable OffsetDateTime asOf, @Nullable Long minPosition) {
        requireStorableText("q", q);
        requireStorableInstant(asOf);
        awaitPosition(minPosition);
        var users = asOf == null ? queries.list(q, page, size) : queries.listAsOf(asOf.toInstant(), q, page, size);
        return ResponseEntity.ok(mapper.toDto(users));
    }

    @Override
    public ResponseEntity<User> getUser(
            UUID userId, @Nullable OffsetDateTime asOf, @Nullable Long version, @Nullable Long minPosition) {
        if (asOf != null && version != null) {
            throw new InvalidUserData("asOf", "and version cannot be combined; ask for one of them");
        }
        requireStorableInstant(asOf);
        awaitPosition(minPosition);
        UserId id = new UserId(userId);
        Optional<UserView> user;
        String missing;
        if (asOf != null) {
            user = queries.findAsOf(id, asOf.toInstant());
            missing = "user " + userId + " did not exist at " + asOf;
        } else if (version != null) {
            user = queries.findAtVersion(id, version);
            missing = "user " + userId + " has no version " + version + " at which it existed";
        } else {
            user = queries.find(id);
            missing = "user " + userId + " does not exist or is deleted";
        }
        UserView view = user.orElseThrow(() -> new UserNotFound(missing));
        return ResponseEntity.ok().eTag(eTag(view.version())).body(mapper.toDto(view));
    }

    @Override
    public ResponseEntity<UserHistory> getUserHistory(UUID userId, @Nullable Long minPosition) {
        awaitPosition(minPosition);
        UserId id = new UserId(userId);
        return queries.history(id)
                .map(entries -> ResponseEntity.ok(mapper.toHistory(id, entries)))
                .orElseThrow(() -> new UserNotFound("user " + userId + " has no events"));
    }

    private void awaitPosition(@Nullable Long minPosition) {
        if (minPosition != null) {
            queries.awaitPosition(minPosition);
        }
    }

    private ResponseEntity<EventRecorded> written(@Nullable String ifMatch, Supplier<EventWritten> write) {
        EventWritten written;
        try {
            written = write.get();
        } catch (VersionConflict stale) {
            if (ifMatch != null) {
                throw new StaleIfMatch(stale);
            }
            throw stale;
        }
        return ResponseEntity.status(written.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
                .eTag(eTag(written.version()))
                .location(URI.create("/api/users/" + written.userId()))
                .body(mapper.toDto(written));
    }

    private static @Nullable Long expectedVersion(@Nullable Long fromBody, @Nullable String ifMatch) {
        if (ifMatch == null) {
            return fromBody;
        }
        long fromHeader;
        try {
            fromHeader = Long.parseLong(ifMatch.substring(1, ifMatch.length() - 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new InvalidUserData(
                    "If-Match", "must be one quoted version from 0 to " + Long.MAX_VALUE + ", was " + ifMatch);
        }
        if (fromBody != null && fromBody != fromHeader) {
            throw new InvalidUserData(
                    "expectedVersion", "(" + fromBody + ") contradicts If-Match (" + ifMatch + "); send one of them");
        }
        return fromHeader;
    }

    /** PostgreSQL cannot store the NUL character in text, so a search for it is refused like any bad input. */
    private static void requireStorableText(String parameter, @Nullable String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            throw new InvalidUserData(parameter, "must not contain the NUL character (U+0000)");
        }
    }

    /** Instants the database can compare with: between the years 1 and 9999. */
    private static void requireStorableInstant(@Nullable OffsetDateTime asOf) {
        if (asOf != null
                && (asOf.toInstant().isBefore(EARLIEST) || asOf.toInstant().isAfter(LATEST))) {
            throw new InvalidUserData("asOf", "must be between the years 1 and 9999, was " + asOf);
        }
    }

    private static String eTag(long version) {
        return "\"" + version + "\"";
    }
}
