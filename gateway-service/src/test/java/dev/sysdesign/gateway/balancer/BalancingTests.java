package dev.sysdesign.gateway.balancer;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;

import dev.sysdesign.contracts.Headers;
import dev.sysdesign.gateway.discovery.InstanceRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * How the gateway picks an instance around rendezvous hashing: no instances, requests
 * without a key (or with a blank one), services not balanced by key, retries, weights.
 */
class BalancingTests {

	static final List<ServiceInstance> FOUR = List.of(instance("a", 1), instance("b", 1), instance("c", 1),
			instance("d", 1));

	final BalancerProperties properties = new BalancerProperties(List.of("order-service"),
			BalancerProperties.KeySource.HEADER, Headers.USER_ID, 0, Duration.ofMinutes(5));

	final Balancing balancing = new Balancing(this.properties, new RoutingStats(this.properties));

	static ServiceInstance instance(String host, int weight) {
		return new DefaultServiceInstance(host + ":8081", "order-service", host, 8081, false,
				Map.of(InstanceRegistry.WEIGHT, Integer.toString(weight)));
	}

	@Test
	void withoutReadyInstancesThereIsNoChoiceAndNoOwner() {
		assertThat(this.balancing.choose("order-service", List.of(), "42", Set.of())).isNull();
		assertThat(this.balancing.choose("order-service", List.of(), null, Set.of())).isNull();
		assertThat(this.balancing.owner("order-service", List.of(), "42")).isNull();
	}

	@Test
	void aKeyAlwaysGoesToItsOwner() {
		for (int user = 1; user <= 200; user++) {
			String key = Integer.toString(user);
			ServiceInstance owner = this.balancing.owner("order-service", FOUR, key);
			assertThat(this.balancing.choose("order-service", FOUR, key, Set.of())).isSameAs(owner);
			assertThat(this.balancing.choose("order-service", List.copyOf(FOUR), key, Set.of())).isSameAs(owner);
		}
	}

	@Test
	void requestsWithoutKeyAreSpreadRoundRobin() {
		Map<String, Integer> counts = new HashMap<>();
		for (int i = 0; i < 8; i++) {
			counts.merge(this.balancing.choose("order-service", FOUR, null, Set.of()).getInstanceId(), 1, Integer::sum);
		}
		assertThat(counts).hasSize(4).allSatisfy((id, count) -> assertThat(count).isEqualTo(2));
	}

	@Test
	void servicesNotBalancedByKeyIgnoreTheKey() {
		assertThat(this.balancing.consistentHashing("session-service")).isFalse();
		Map<String, Integer> counts = new HashMap<>();
		for (int i = 0; i < 8; i++) {
			counts.merge(this.balancing.choose("session-service", FOUR, "42", Set.of()).getInstanceId(), 1,
					Integer::sum);
		}
		assertThat(counts).hasSize(4);
	}

	@Test
	void aRetryGoesToTheKeysNextRankedInstanceAndBackToTheOwnerWhenAllWereTried() {
		ServiceInstance owner = this.balancing.owner("order-service", FOUR, "42");
		ServiceInstance next = this.balancing.choose("order-service", FOUR, "42", Set.of(owner.getInstanceId()));
		assertThat(next).isNotSameAs(owner)
			.isSameAs(this.balancing.choose("order-service", FOUR, "42", Set.of(owner.getInstanceId())));
		Set<String> all = Set.of("a:8081", "b:8081", "c:8081", "d:8081");
		assertThat(this.balancing.choose("order-service", FOUR, "42", all)).isSameAs(owner);
	}

	@Test
	void aHeavierInstanceOwnsMoreKeys() {
		List<ServiceInstance> weighted = List.of(instance("a", 1), instance("b", 3));
		int heavy = 0;
		for (int user = 1; user <= 4000; user++) {
			if (this.balancing.owner("order-service", weighted, Integer.toString(user)).getHost().equals("b")) {
				heavy++;
			}
		}
		assertThat(heavy).isBetween(2800, 3200);
	}

	@Test
	void aBlankKeyCountsAsNoKey() {
		ServiceInstanceListSupplier supplier = mock(ServiceInstanceListSupplier.class);
		given(supplier.get(any())).willReturn(Flux.just(FOUR));
		@SuppressWarnings("unchecked")
		ObjectProvider<ServiceInstanceListSupplier> suppliers = mock(ObjectProvider.class);
		given(suppliers.getIfAvailable()).willReturn(supplier);
		ConsistentHashLoadBalancer balancer = new ConsistentHashLoadBalancer("order-service", suppliers, this.balancing,
				this.properties);
		Map<String, Integer> counts = new HashMap<>();
		for (int i = 0; i < 4; i++) {
			RequestData data = request(" ");
			Response<ServiceInstance> response = balancer.choose(new DefaultRequest<>(new RequestDataContext(data)))
				.block();
			counts.merge(response.getServer().getInstanceId(), 1, Integer::sum);
			assertThat(data.getAttributes()).doesNotContainKey(ConsistentHashLoadBalancer.KEY);
		}
		assertThat(counts).hasSize(4);
		RequestData keyed = request("42");
		Response<ServiceInstance> response = balancer.choose(new DefaultRequest<>(new RequestDataContext(keyed)))
			.block();
		assertThat(response.getServer()).isSameAs(this.balancing.owner("order-service", FOUR, "42"));
		assertThat(keyed.getAttributes()).containsEntry(ConsistentHashLoadBalancer.KEY, "42");
	}

	static RequestData request(String userId) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(Headers.USER_ID, userId);
		return new RequestData(HttpMethod.GET, URI.create("http://order-service/api/orders"), headers,
				new LinkedMultiValueMap<>(), new HashMap<>());
	}

}
