package dev.onepg.users.application.port.in;

import java.util.List;

/** One page of users. */
public record UserPage(List<UserView> items, int page, int size, long totalItems) {

    public UserPage {
        items = List.copyOf(items);
    }

    public int totalPages() {
        return (int) ((totalItems + size - 1) / size);
    }
}
