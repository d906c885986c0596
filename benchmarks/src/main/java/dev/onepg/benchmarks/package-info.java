/**
 * Benchmarks on a real PostgreSQL, run on demand ({@code -Pbenchmarks}); results and commands are in
 * {@code docs/benchmarks.md}.
 */
@NullMarked
package dev.onepg.benchmarks;

import org.jspecify.annotations.NullMarked;
