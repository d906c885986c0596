/** The users views in PostgreSQL, read and written with jOOQ: the only code that knows the users schema. */
@NullMarked
package dev.onepg.users.adapter.out.persistence;

import org.jspecify.annotations.NullMarked;
