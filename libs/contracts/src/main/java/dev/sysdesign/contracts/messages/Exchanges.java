package dev.sysdesign.contracts.messages;

/**
 * The topic exchanges of the platform, one per publishing service.
 */
public final class Exchanges {

	/** What order-service publishes: orders and the catalog. */
	public static final String ORDER_EVENTS = "order-events";

	/** What worker-service publishes: payment results. */
	public static final String WORKER_EVENTS = "worker-events";

	private Exchanges() {
	}

}
