/** The users views in PostgreSQL, read with jOOQ and written with set-based SQL and COPY: the only code that knows the users schema. */
@NullMarked
package dev.onepg.users.adapter.out.persistence;

import org.jspecify.annotations.NullMarked;
