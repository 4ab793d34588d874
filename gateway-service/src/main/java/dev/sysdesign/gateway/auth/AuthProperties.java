package dev.sysdesign.gateway.auth;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication at the edge.
 *
 * @param enabled whether the gateway authenticates; {@code false} is for benchmarks only
 * (client-supplied identity headers are still removed, so downstream services refuse
 * protected calls)
 * @param absoluteLifetime how long a session lives however much it is used (the idle
 * timeout is the session's own, set by session-service)
 * @param touchInterval how often a session's last-access time is written back: at most
 * once per interval per session, so that bursts of requests do not each write to Redis
 * @param protectedPaths paths that need a valid session (path patterns)
 * @param publicEndpoints exceptions under those paths, as {@code METHOD /path}
 * @param staticPaths paths answered without reading the session at all (the console's
 * static files): no Redis round trip per file, and they are served while Redis is down
 * @param allowedOrigins origins besides the gateway's own whose cookie-authenticated
 * state-changing requests are accepted (for example the public address behind a proxy)
 */
@ConfigurationProperties("platform.auth")
public record AuthProperties(@DefaultValue("true") boolean enabled, @DefaultValue("12h") Duration absoluteLifetime,
		@DefaultValue("1s") Duration touchInterval, @DefaultValue( {
				"/api/orders/**", "/api/admin/**", "/api/reports/**", "/api/sessions/**", "/api/accounts/**",
				"/ws/**" }) List<String> protectedPaths,
		@DefaultValue({ "POST /api/sessions", "POST /api/accounts" }) List<String> publicEndpoints,
		@DefaultValue({ "/", "/index.html", "/assets/**" }) List<String> staticPaths,
		@DefaultValue List<String> allowedOrigins){
}
