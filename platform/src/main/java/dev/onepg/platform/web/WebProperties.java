package dev.onepg.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP settings of the API.
 *
 * @param maxRequestBodySize requests with larger bodies are refused with 413
 */
@ConfigurationProperties("onepg.web")
record WebProperties(@DefaultValue("64KB") DataSize maxRequestBodySize) {}
