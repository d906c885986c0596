/** What an operator sees and steers: projection health, status, pause and resume, skip, rebuild. */
@NullMarked
package dev.onepg.platform.operations;

import org.jspecify.annotations.NullMarked;
