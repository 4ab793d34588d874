package dev.sysdesign.testing;

/**
 * The container images of the platform's data services, pinned in one place. The tests
 * with Docker use them, and {@code docker-compose.yml} must use the same tags (a system
 * test checks it).
 */
public final class Images {

	/** MySQL, primary and replica. */
	public static final String MYSQL = "mysql:8.4.6";

	/** Redis: sessions, rate limits, L2 cache, read-your-writes positions. */
	public static final String REDIS = "redis:7.4.5";

	/** RabbitMQ with the management UI. */
	public static final String RABBITMQ = "rabbitmq:4.1.4-management";

	private Images() {
	}

}
