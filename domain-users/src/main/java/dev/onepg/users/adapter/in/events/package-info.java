/** The inbound adapter of the users' events: the projection that keeps the users views from them. */
@NullMarked
package dev.onepg.users.adapter.in.events;

import org.jspecify.annotations.NullMarked;
