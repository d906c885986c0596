/** HTTP concerns shared by every domain's API: problem details for every error, and the request size limit. */
@NullMarked
package dev.onepg.platform.web;

import org.jspecify.annotations.NullMarked;
