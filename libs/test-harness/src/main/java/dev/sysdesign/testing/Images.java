package dev.sysdesign.testing;

/**
 * The container images of the platform's data services, pinned in one place. The tests
 * with Docker use them, and {@code docker-compose.yml} must use the same tags (a system
 * test checks it).
 */
public final class Images {

	/**
	 * MariaDB: the three nodes of the database cluster (the same engine as the local
	 * cluster of {@code scripts/infra.sh}, whose failover relies on MariaDB's
	 * semi-synchronous replication and its crash recovery).
	 */
	public static final String MARIADB = "mariadb:10.11.14";

	/**
	 * MySQL: the primary/replica pair of the Kubernetes demo overlay (which has no
	 * automatic failover; the production overlay's operator runs MariaDB with it). The
	 * services run on MySQL 8.4 as on MariaDB.
	 */
	public static final String MYSQL = "mysql:8.4.6";

	/** Redis: sessions, rate limits, L2 cache, read-your-writes positions. */
	public static final String REDIS = "redis:7.4.5";

	/** RabbitMQ with the management UI. */
	public static final String RABBITMQ = "rabbitmq:4.1.4-management";

	private Images() {
	}

}
