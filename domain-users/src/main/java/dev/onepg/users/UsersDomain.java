package dev.onepg.users;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** The users domain, as the application registers it. */
@Configuration(proxyBeanMethods = false)
@ComponentScan
public class UsersDomain {}
