package dev.onepg.users.adapter.in.web;

import dev.onepg.contracts.users.model.EventRecorded;
import dev.onepg.contracts.users.model.HistoryEntry;
import dev.onepg.contracts.users.model.User;
import dev.onepg.contracts.users.model.UserHistory;
import dev.onepg.contracts.users.model.UserPage;
import dev.onepg.users.UserId;
import dev.onepg.users.application.port.in.EventWritten;
import dev.onepg.users.application.port.in.UserView;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.mapstruct.Mapper;
import org.mapstruct.Mapping;

/** Between the contract's DTOs and the application's records. */
@Mapper
interface UserWebMapper {

    User toDto(UserView view);

    @Mapping(target = "items", source = "items")
    @Mapping(target = "totalPages", expression = "java(page.totalPages())")
    UserPage toDto(dev.onepg.users.application.port.in.UserPage page);

    HistoryEntry toDto(dev.onepg.users.application.port.in.HistoryEntry entry);

    EventRecorded toDto(EventWritten written);

    default UserHistory toHistory(UserId userId, List<dev.onepg.users.application.port.in.HistoryEntry> entries) {
        return new UserHistory(userId.value(), entries.stream().map(this::toDto).toList());
    }

    default UUID map(UserId id) {
        return id.value();
    }

    default OffsetDateTime map(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
