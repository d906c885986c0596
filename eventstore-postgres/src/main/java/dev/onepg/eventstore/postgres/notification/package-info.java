/**
 * Waking projections up: after an append commits, local runners are woken directly and other instances through
 * one coalesced {@code NOTIFY}; a listener on one dedicated connection turns notifications into wake-ups.
 */
@NamedInterface("notification")
@NullMarked
package dev.onepg.eventstore.postgres.notification;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
