package dev.onepg.platform.operations;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxProjectionLag a projection whose oldest waiting event is older than this reports as degraded
 */
@ConfigurationProperties("onepg.operations")
record OperationsProperties(@DefaultValue("60s") Duration maxProjectionLag) {}
