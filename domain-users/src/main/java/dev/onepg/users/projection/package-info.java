/** The users aggregator: the projection that keeps the users views from the events. */
@NullMarked
package dev.onepg.users.projection;

import org.jspecify.annotations.NullMarked;
