package dev.onepg.app;

import dev.onepg.users.UsersDomain;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The domains the monolith runs: adding one is adding its module and one entry here. */
@Configuration(proxyBeanMethods = false)
@Import({UsersDomain.class})
class MonolithDomains {}
