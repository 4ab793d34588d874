package dev.sysdesign.gateway.discovery;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.context.SmartLifecycle;

/**
 * The instances of every downstream service as the gateway sees them now: candidates from
 * {@link DiscoveryProperties} (static addresses or every address of a DNS name), each
 * probed on its readiness endpoint every {@code refresh-interval}. Only ready instances
 * are offered to the load balancer; an instance that fails a routed request can be taken
 * out at once with {@link #markUnready(String, String)} until its next successful probe.
 * <p>
 * Thread-safe; the lists handed out are immutable snapshots.
 */
public class InstanceRegistry implements SmartLifecycle {

	/** Metadata key of an instance's weight (a positive integer, default 1). */
	public static final String WEIGHT = "weight";

	private static final Logger log = LoggerFactory.getLogger(InstanceRegistry.class);

	private final DiscoveryProperties properties;

	private final HttpClient probeClient;

	private final Map<String, ServiceState> services = new LinkedHashMap<>();

	private volatile @Nullable Disposable refreshing;

	public InstanceRegistry(DiscoveryProperties properties) {
		this.properties = properties;
		this.probeClient = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.probeTimeout().toMillis())
			.responseTimeout(properties.probeTimeout());
		properties.services().forEach((id, candidates) -> this.services.put(id, new ServiceState(id, candidates)));
	}

	/**
	 * The ids of the services the registry knows.
	 * @return service ids in configuration order
	 */
	public Collection<String> serviceIds() {
		return this.services.keySet();
	}

	/**
	 * The ready instances of a service, waiting for the first probe round after start-up.
	 * @param serviceId the service
	 * @return the ready instances, sorted by instance id; empty when none is ready or the
	 * service is unknown
	 */
	public Mono<List<ServiceInstance>> ready(String serviceId) {
		ServiceState state = this.services.get(serviceId);
		if (state == null) {
			return Mono.just(List.of());
		}
		return state.firstRound.then(Mono.fromSupplier(() -> state.ready));
	}

	/**
	 * Every candidate of a service with its state, for operators.
	 * @param serviceId the service
	 * @return the candidates, sorted by instance id
	 */
	public List<InstanceStatus> candidates(String serviceId) {
		ServiceState state = this.services.get(serviceId);
		return (state != null) ? state.snapshot() : List.of();
	}

	/**
	 * Takes an instance out of rotation until its next successful probe (for example
	 * after a connection to it was refused).
	 * @param serviceId the service
	 * @param instanceId the instance ({@code host:port})
	 * @param reason why, for the log
	 */
	public void markUnready(String serviceId, String instanceId, String reason) {
		ServiceState state = this.services.get(serviceId);
		if (state != null) {
			state.update(instanceId, false, reason);
		}
	}

	/**
	 * Probes every candidate once and waits for the result.
	 * @return completes when the round is done
	 */
	public Mono<Void> refresh() {
		return Flux.fromIterable(this.services.values()).flatMap(this::refresh).then();
	}

	private Mono<Void> refresh(ServiceState state) {
		return resolve(state.candidates).flatMapMany(Flux::fromIterable)
			.flatMap((candidate) -> probe(candidate).map((reason) -> new Probe(candidate, reason.isEmpty(), reason)))
			.collectList()
			.doOnNext(state::apply)
			.onErrorResume((ex) -> {
				log.warn("Discovery of {} failed: {}", state.serviceId, ex.toString());
				return Mono.empty();
			})
			.doFinally((signal) -> state.firstRoundDone())
			.then();
	}

	private Mono<List<Candidate>> resolve(DiscoveryProperties.ServiceCandidates candidates) {
		if (candidates.dns() == null || candidates.dns().isBlank()) {
			return Mono.just(candidates.urls().stream().map(Candidate::of).toList());
		}
		String[] hostPort = candidates.dns().trim().split(":");
		String host = hostPort[0];
		int port = (hostPort.length > 1) ? Integer.parseInt(hostPort[1]) : 80;
		return Mono
			.fromCallable(() -> Arrays.stream(InetAddress.getAllByName(host))
				.map((address) -> new Candidate(URI.create("http://" + address.getHostAddress() + ":" + port), 1))
				.toList())
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorResume(UnknownHostException.class, (ex) -> {
				log.debug("{} has no addresses yet", host);
				return Mono.just(List.of());
			});
	}

	/** Probes readiness: an empty string means ready, otherwise why not. */
	private Mono<String> probe(Candidate candidate) {
		return this.probeClient.get()
			.uri(candidate.uri().resolve(this.properties.readinessPath()).toString())
			.responseSingle((response, body) -> Mono
				.just((response.status().code() / 100 == 2) ? "" : "readiness answered " + response.status().code()))
			.timeout(this.properties.probeTimeout().plusMillis(200))
			.onErrorResume((ex) -> Mono.just(describe(ex)));
	}

	private static String describe(Throwable ex) {
		String message = ex.getMessage();
		return ex.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

	@Override
	public void start() {
		this.refreshing = Flux.interval(Duration.ZERO, this.properties.refreshInterval())
			.onBackpressureDrop()
			.concatMap((tick) -> refresh(), 1)
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.refreshing;
		if (current != null) {
			current.dispose();
		}
		this.refreshing = null;
	}

	@Override
	public boolean isRunning() {
		return this.refreshing != null;
	}

	/**
	 * A candidate with its state.
	 *
	 * @param instanceId {@code host:port}
	 * @param uri the base address
	 * @param weight the relative share of users it gets
	 * @param ready whether it receives traffic
	 * @param since when it last changed between ready and not ready
	 * @param reason why it is not ready, empty when ready
	 */
	public record InstanceStatus(String instanceId, URI uri, int weight, boolean ready, Instant since, String reason) {
	}

	private record Candidate(URI uri, int weight) {

		static Candidate of(URI configured) {
			int weight = 1;
			String fragment = configured.getFragment();
			if (fragment != null && fragment.startsWith(WEIGHT + "=")) {
				weight = Math.max(1, Integer.parseInt(fragment.substring(WEIGHT.length() + 1)));
			}
			return new Candidate(URI.create(configured.getScheme() + "://" + configured.getAuthority()), weight);
		}

		String instanceId() {
			return this.uri.getHost() + ":" + this.uri.getPort();
		}

	}

	private record Probe(Candidate candidate, boolean ready, String reason) {
	}

	private static final class ServiceState {

		private final String serviceId;

		private final DiscoveryProperties.ServiceCandidates candidates;

		private final Map<String, InstanceStatus> statuses = new ConcurrentHashMap<>();

		private final Map<String, Candidate> known = new ConcurrentHashMap<>();

		private final reactor.core.publisher.Sinks.Empty<Void> firstRoundSink = reactor.core.publisher.Sinks.empty();

		private final Mono<Void> firstRound = this.firstRoundSink.asMono().cache();

		private volatile List<ServiceInstance> ready = List.of();

		ServiceState(String serviceId, DiscoveryProperties.ServiceCandidates candidates) {
			this.serviceId = serviceId;
			this.candidates = candidates;
		}

		void firstRoundDone() {
			this.firstRoundSink.tryEmitEmpty();
		}

		synchronized void apply(List<Probe> probes) {
			Map<String, Candidate> current = new LinkedHashMap<>();
			for (Probe probe : probes) {
				current.put(probe.candidate().instanceId(), probe.candidate());
			}
			this.known.keySet().retainAll(current.keySet());
			this.statuses.keySet().retainAll(current.keySet());
			this.known.putAll(current);
			for (Probe probe : probes) {
				update(probe.candidate().instanceId(), probe.ready(), probe.reason());
			}
			publish();
		}

		synchronized void update(String instanceId, boolean ready, String reason) {
			Candidate candidate = this.known.get(instanceId);
			if (candidate == null) {
				return;
			}
			InstanceStatus previous = this.statuses.get(instanceId);
			boolean changed = previous == null || previous.ready() != ready;
			if (changed && (previous != null || ready)) {
				log.info("{} instance {} is {}{}", this.serviceId, instanceId, ready ? "ready" : "not ready",
						ready ? "" : " (" + reason + ")");
			}
			Instant since = changed ? Instant.now() : previous.since();
			this.statuses.put(instanceId,
					new InstanceStatus(instanceId, candidate.uri(), candidate.weight(), ready, since, reason));
			if (changed) {
				publish();
			}
		}

		private void publish() {
			List<ServiceInstance> instances = new ArrayList<>();
			for (InstanceStatus status : this.statuses.values()) {
				if (status.ready()) {
					instances
						.add(new DefaultServiceInstance(status.instanceId(), this.serviceId, status.uri().getHost(),
								status.uri().getPort(), false, Map.of(WEIGHT, Integer.toString(status.weight()))));
				}
			}
			instances.sort(Comparator.comparing(ServiceInstance::getInstanceId));
			this.ready = List.copyOf(instances);
		}

		List<InstanceStatus> snapshot() {
			return this.statuses.values().stream().sorted(Comparator.comparing(InstanceStatus::instanceId)).toList();
		}

	}

}
