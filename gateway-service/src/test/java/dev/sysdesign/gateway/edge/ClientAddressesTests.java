package dev.sysdesign.gateway.edge;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The client address rule: the peer unless it is a trusted proxy, then the rightmost
 * untrusted hop of the one configured forwarding header.
 */
class ClientAddressesTests {

	@Test
	void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeadersSay() {
		ClientAddresses clients = clients(List.of(), EdgeProperties.ForwardedHeader.X_FORWARDED_FOR);
		assertThat(clients.of(exchange("203.0.113.5", "X-Forwarded-For", "1.1.1.1", "Forwarded", "for=2.2.2.2")))
			.isEqualTo("203.0.113.5");
	}

	@Test
	void anUntrustedPeerIsTheClientEvenWhenProxiesAreTrusted() {
		ClientAddresses clients = clients(List.of("10.0.0.0/8"), EdgeProperties.ForwardedHeader.X_FORWARDED_FOR);
		assertThat(clients.of(exchange("203.0.113.5", "X-Forwarded-For", "1.1.1.1"))).isEqualTo("203.0.113.5");
	}

	@Test
	void behindATrustedProxyTheRightmostUntrustedHopIsTheClient() {
		ClientAddresses clients = clients(List.of("10.0.0.0/8", "192.168.1.1"),
				EdgeProperties.ForwardedHeader.X_FORWARDED_FOR);
		// the client wrote 6.6.6.6 itself; the proxies appended 198.51.100.7 and
		// 192.168.1.1
		assertThat(clients.of(exchange("10.1.2.3", "X-Forwarded-For", "6.6.6.6, 198.51.100.7, 192.168.1.1")))
			.isEqualTo("198.51.100.7");
		assertThat(clients
			.of(exchange("10.1.2.3", "X-Forwarded-For", "6.6.6.6", "X-Forwarded-For", "198.51.100.8:4711, 10.9.9.9")))
			.as("several header lines form one list")
			.isEqualTo("198.51.100.8");
	}

	@Test
	void aHopThatIsNoAddressEndsTheWalkAtTheProxyThatReportedIt() {
		ClientAddresses clients = clients(List.of("10.0.0.0/8"), EdgeProperties.ForwardedHeader.X_FORWARDED_FOR);
		assertThat(clients.of(exchange("10.1.2.3", "X-Forwarded-For", "198.51.100.7, unknown, 10.4.4.4")))
			.isEqualTo("10.4.4.4");
		assertThat(clients.of(exchange("10.1.2.3", "X-Forwarded-For", "evil.example.com"))).isEqualTo("10.1.2.3");
		assertThat(clients.of(exchange("10.1.2.3"))).as("no header: the proxy itself").isEqualTo("10.1.2.3");
	}

	@Test
	void onlyTheConfiguredHeaderIsRead() {
		ClientAddresses xff = clients(List.of("10.0.0.0/8"), EdgeProperties.ForwardedHeader.X_FORWARDED_FOR);
		ClientAddresses forwarded = clients(List.of("10.0.0.0/8"), EdgeProperties.ForwardedHeader.FORWARDED);
		MockServerWebExchange request = exchange("10.1.2.3", "X-Forwarded-For", "198.51.100.7", "Forwarded",
				"for=6.6.6.6;proto=https, for=\"[2001:db8:cafe::17]:4711\";by=10.1.2.3");
		assertThat(xff.of(request)).isEqualTo("198.51.100.7");
		MockServerWebExchange again = exchange("10.1.2.3", "X-Forwarded-For", "198.51.100.7", "Forwarded",
				"for=6.6.6.6;proto=https, for=\"[2001:db8:cafe::17]:4711\";by=10.1.2.3");
		assertThat(forwarded.of(again)).isEqualTo("2001:db8:cafe:0:0:0:0:17");
	}

	@Test
	void ipv4MappedIpv6AddressesAreIpv4() {
		ClientAddresses clients = clients(List.of("10.0.0.0/8"), EdgeProperties.ForwardedHeader.X_FORWARDED_FOR);
		assertThat(clients.of(exchange("::ffff:10.1.2.3", "X-Forwarded-For", "::ffff:198.51.100.7")))
			.isEqualTo("198.51.100.7");
	}

	@Test
	void networksAreMatchedBitByBit() {
		TrustedProxies proxies = TrustedProxies.of(List.of("172.16.0.0/12", "2001:db8::/32", "127.0.0.2"));
		assertThat(proxies.contains(TrustedProxies.parseLiteral("172.31.255.255"))).isTrue();
		assertThat(proxies.contains(TrustedProxies.parseLiteral("172.32.0.0"))).isFalse();
		assertThat(proxies.contains(TrustedProxies.parseLiteral("2001:db8:ffff::1"))).isTrue();
		assertThat(proxies.contains(TrustedProxies.parseLiteral("2001:db9::1"))).isFalse();
		assertThat(proxies.contains(TrustedProxies.parseLiteral("127.0.0.2"))).isTrue();
		assertThat(proxies.contains(TrustedProxies.parseLiteral("127.0.0.1"))).isFalse();
	}

	@Test
	void onlyAddressLiteralsAreAddresses() {
		assertThat(TrustedProxies.parseLiteral("256.1.1.1")).isNull();
		assertThat(TrustedProxies.parseLiteral("localhost")).isNull();
		assertThat(TrustedProxies.parseLiteral("_hidden")).isNull();
		assertThat(TrustedProxies.parseLiteral("1.2.3.4.5")).isNull();
		assertThat(TrustedProxies.parseLiteral("x".repeat(5000))).isNull();
		assertThat(TrustedProxies.parseLiteral("\"198.51.100.7:80\"")).isNotNull();
		assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33")));
		assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxies.of(List.of("10.0.0.*")));
	}

	private static ClientAddresses clients(List<String> trusted, EdgeProperties.ForwardedHeader header) {
		return new ClientAddresses(new EdgeProperties(DataSize.ofMegabytes(1), List.of(),
				new EdgeProperties.RateLimit(EdgeProperties.RedisUnavailable.ALLOW), new EdgeProperties.Breaker(50, 20,
						10, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(10), 2000),
				trusted, header));
	}

	private static MockServerWebExchange exchange(String peer, String... headers) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/products")
			.remoteAddress(new InetSocketAddress(peer, 40000));
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return MockServerWebExchange.from(request);
	}

}
