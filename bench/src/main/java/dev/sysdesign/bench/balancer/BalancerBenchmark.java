package dev.sysdesign.bench.balancer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.SimpleObjectProvider;

import dev.sysdesign.gateway.balancer.BalancerProperties;
import dev.sysdesign.gateway.balancer.Balancing;
import dev.sysdesign.gateway.balancer.RendezvousHashing;
import dev.sysdesign.gateway.balancer.RoutingStats;

/**
 * Choosing an instance: the gateway's consistent hashing (the raw rendezvous choice, and
 * {@link Balancing} as the load balancer calls it) beside Spring Cloud LoadBalancer's
 * {@link RoundRobinLoadBalancer} through its public API, for n instances. Run with
 * {@code -prof gc} for bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BalancerBenchmark {

	@Param({ "4", "10", "100" })
	int instances;

	String[] keys;

	int next;

	RendezvousHashing hashing;

	Balancing balancing;

	List<ServiceInstance> list;

	RoundRobinLoadBalancer roundRobin;

	Request<?> request = new DefaultRequest<>();

	@Setup
	public void setUp() {
		List<String> ids = new ArrayList<>();
		this.list = new ArrayList<>();
		for (int i = 0; i < this.instances; i++) {
			String host = "10.0." + (i / 250) + "." + (i % 250 + 1);
			ids.add(host + ":8081");
			this.list.add(new DefaultServiceInstance(host + ":8081", "order-service", host, 8081, false,
					Map.of("weight", "1")));
		}
		this.list = List.copyOf(this.list);
		double[] weights = new double[this.instances];
		Arrays.fill(weights, 1);
		this.hashing = new RendezvousHashing(ids, weights);
		BalancerProperties properties = new BalancerProperties(List.of("order-service"),
				BalancerProperties.KeySource.HEADER, "X-User-Id", 0, java.time.Duration.ofMinutes(5));
		this.balancing = new Balancing(properties, new RoutingStats(properties));
		this.keys = new String[1024];
		for (int i = 0; i < this.keys.length; i++) {
			this.keys[i] = Integer.toString(100_000 + i * 7919);
		}
		ServiceInstanceListSupplier supplier = new ServiceInstanceListSupplier() {
			@Override
			public String getServiceId() {
				return "order-service";
			}

			@Override
			public Flux<List<ServiceInstance>> get() {
				return Flux.just(BalancerBenchmark.this.list);
			}
		};
		ObjectProvider<ServiceInstanceListSupplier> provider = new SimpleObjectProvider<>(supplier);
		this.roundRobin = new RoundRobinLoadBalancer(provider, "order-service");
	}

	private String key() {
		this.next = (this.next + 1) & 1023;
		return this.keys[this.next];
	}

	/** The hot path: hash the user id, pick the owner. */
	@Benchmark
	public int rendezvousChoice() {
		return this.hashing.choose(RendezvousHashing.hash(key()));
	}

	/** What each request costs the gateway's balancer (prepared instance list cached). */
	@Benchmark
	public ServiceInstance balancingChoice() {
		return this.balancing.choose("order-service", this.list, key(), java.util.Set.of());
	}

	/**
	 * Spring's round-robin load balancer through its reactive API, as the gateway calls
	 * it.
	 */
	@Benchmark
	public Object springRoundRobin() {
		return this.roundRobin.choose(this.request).block();
	}

}
