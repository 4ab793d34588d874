package dev.sysdesign.gateway.edge;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import dev.sysdesign.contracts.Headers;

/**
 * The one client address of a request, derived once at the edge and used for everything
 * that is per client: the anonymous rate limit, the {@value Headers#CLIENT_ADDRESS}
 * header the services receive (session-service's per-address login throttle), logs.
 * <p>
 * It is the TCP peer, unless the peer is a trusted proxy
 * ({@code platform.edge.trusted-proxies}, {@code EDGE_TRUSTED_PROXIES}): then the
 * forwarding header the proxies write ({@code platform.edge.forwarded-header}:
 * {@code X-Forwarded-For} or {@code Forwarded}) is walked from the right, past every
 * trusted hop, to the first address that is not trusted. Whatever a client writes into
 * those headers itself stands further left and is never reached while a trusted proxy
 * appended the real peer. A hop that is not an address literal ({@code unknown},
 * obfuscated) ends the walk at the trusted hop that reported it. Only one header is read:
 * a proxy that appends to {@code X-Forwarded-For} passes a client's {@code Forwarded}
 * through untouched, so reading both would let the client choose.
 */
@Component
public class ClientAddresses {

	/** The header carrying the client address to the services; clients cannot set it. */
	private static final String ATTRIBUTE = ClientAddresses.class.getName() + ".address";

	private final TrustedProxies trusted;

	private final EdgeProperties.ForwardedHeader header;

	ClientAddresses(EdgeProperties properties) {
		this.trusted = TrustedProxies.of(properties.trustedProxies());
		this.header = properties.forwardedHeader();
	}

	/**
	 * The client address of an exchange, derived on first use.
	 * @param exchange the exchange
	 * @return the address (canonical text), or {@code unknown} without a peer
	 */
	public String of(ServerWebExchange exchange) {
		String address = exchange.getAttribute(ATTRIBUTE);
		if (address == null) {
			address = derive(exchange.getRequest());
			exchange.getAttributes().put(ATTRIBUTE, address);
		}
		return address;
	}

	/**
	 * Whether the request comes straight from a trusted proxy, whose
	 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} may be believed.
	 * @param request the request
	 * @return whether its peer is trusted
	 */
	boolean fromTrustedProxy(ServerHttpRequest request) {
		InetAddress peer = peer(request);
		return peer != null && !this.trusted.isEmpty() && this.trusted.contains(peer);
	}

	private String derive(ServerHttpRequest request) {
		InetAddress current = peer(request);
		if (current == null) {
			return "unknown";
		}
		if (this.trusted.isEmpty() || !this.trusted.contains(current)) {
			return TrustedProxies.text(current);
		}
		List<String> hops = hops(request.getHeaders());
		for (int i = hops.size() - 1; i >= 0; i--) {
			InetAddress hop = TrustedProxies.parseLiteral(hops.get(i));
			if (hop == null) {
				break;
			}
			current = hop;
			if (!this.trusted.contains(hop)) {
				break;
			}
		}
		return TrustedProxies.text(current);
	}

	private List<String> hops(HttpHeaders headers) {
		List<String> hops = new ArrayList<>();
		List<String> lines = headers.getOrEmpty(this.header.headerName());
		for (String line : lines) {
			for (String element : line.split(",")) {
				if (this.header == EdgeProperties.ForwardedHeader.X_FORWARDED_FOR) {
					hops.add(element);
				}
				else {
					hops.add(forValue(element));
				}
			}
		}
		return hops;
	}

	/** The {@code for} parameter of an RFC 7239 element, empty when it has none. */
	private static String forValue(String element) {
		for (String pair : element.split(";")) {
			int equals = pair.indexOf('=');
			if (equals > 0 && pair.substring(0, equals).trim().equalsIgnoreCase("for")) {
				return pair.substring(equals + 1);
			}
		}
		return "";
	}

	private static InetAddress peer(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		return (remote != null) ? remote.getAddress() : null;
	}

}
