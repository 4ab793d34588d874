package dev.sysdesign.support.identity;

import jakarta.servlet.http.HttpServletRequest;

import dev.sysdesign.contracts.Headers;

/**
 * The client's address as the gateway derived it at the edge, from trusted hops only,
 * carried in {@value Headers#CLIENT_ADDRESS}. The gateway always sets it, replacing
 * anything a client sent; services trust it because only the gateway reaches them.
 * Forwarding chains ({@code X-Forwarded-For}, {@code Forwarded}) are never read by a
 * service.
 */
public final class ClientAddress {

	private ClientAddress() {
	}

	/**
	 * The client address of a request.
	 * @param request the request
	 * @return the gateway's {@value Headers#CLIENT_ADDRESS}, or the TCP peer for a
	 * request that did not come through the gateway (tests, a probe)
	 */
	public static String of(HttpServletRequest request) {
		String address = request.getHeader(Headers.CLIENT_ADDRESS);
		if (address != null && !address.isBlank() && address.length() <= 64) {
			return address.trim();
		}
		return request.getRemoteAddr();
	}

}
