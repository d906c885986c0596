/** Password hashing with Argon2id from Spring Security's crypto module. */
@NullMarked
package dev.onepg.users.adapter.out.security;

import org.jspecify.annotations.NullMarked;
