package dev.sysdesign.orders.order;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The SHA-256 of an order request in a canonical form (lines sorted by sku), stored with
 * its {@code Idempotency-Key} to tell a true repeat from a different request.
 */
final class RequestFingerprint {

	private RequestFingerprint() {
	}

	static String of(List<RequestedItem> items) {
		StringBuilder canonical = new StringBuilder();
		items.stream()
			.sorted(Comparator.comparing(RequestedItem::sku))
			.forEach((item) -> canonical.append(item.sku()).append('\u0000').append(item.quantity()).append('\n'));
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
