/** The users HTTP API: the controller implements the interface generated from the OpenAPI contract. */
@NullMarked
package dev.onepg.users.adapter.in.web;

import org.jspecify.annotations.NullMarked;
