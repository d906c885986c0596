package dev.onepg.platform.operations;

import dev.onepg.eventstore.postgres.projection.Lag;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.projection.ProjectionStatus;
import dev.onepg.eventstore.postgres.projection.RebuildProgress;
import dev.onepg.eventstore.postgres.projection.UnknownProjection;
import dev.onepg.platform.web.CurrentActor;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The projections as an operator sees and steers them. */
@RestController
@RequestMapping("/api/operations/projections")
class OperationsController {

    private final ProjectionEngine engine;
    private final CurrentActor actor;

    OperationsController(ProjectionEngine engine, CurrentActor actor) {
        this.engine = engine;
        this.actor = actor;
    }

    /** One projection as an operator sees it. */
    record ProjectionView(
            String name,
            String state,
            long position,
            long transactionId,
            long lagEvents,
            long lagSeconds,
            @Nullable String leader,
            boolean ledByThisInstance,
            @Nullable UUID failedEventId,
            @Nullable String lastError,
            Instant updatedAt,
            @Nullable RebuildProgress rebuild) {}

    record SkipRequest(UUID eventId, String reason) {}

    @GetMapping
    List<ProjectionView> list() {
        return engine.projectionNames().stream().map(this::view).toList();
    }

    @GetMapping("/{name}")
    ProjectionView get(@PathVariable String name) {
        return view(name);
    }

    @PostMapping("/{name}/pause")
    ProjectionView pause(@PathVariable String name) {
        engine.pause(name);
        return view(name);
    }

    @PostMapping("/{name}/resume")
    ProjectionView resume(@PathVariable String name) {
        engine.resume(name);
        return view(name);
    }

    @PostMapping("/{name}/skip")
    ProjectionView skip(@PathVariable String name, @RequestBody SkipRequest request) {
        if (request.eventId() == null
                || request.reason() == null
                || request.reason().isBlank()) {
            throw new IllegalArgumentException("a skip needs the eventId the projection is stopped at and a reason");
        }
        engine.skip(name, request.eventId(), request.reason(), actor.name());
        return view(name);
    }

    @PostMapping("/{name}/rebuild")
    ResponseEntity<RebuildProgress> rebuild(@PathVariable String name) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(engine.rebuild(name));
    }

    private ProjectionView view(String name) {
        ProjectionStatus status = engine.status(name).orElseThrow(() -> new UnknownProjection(name));
        Lag lag = engine.lag(name);
        return new ProjectionView(
                status.name(),
                status.state().name(),
                status.checkpoint().position(),
                status.checkpoint().transactionId(),
                lag.events(),
                lag.behind().toSeconds(),
                status.leader(),
                engine.leads(name),
                status.failedEventId(),
                status.lastError(),
                status.updatedAt(),
                engine.rebuildProgress(name).orElse(null));
    }
}
