package dev.sysdesign.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import dev.sysdesign.testing.Images;

import dev.sysdesign.system.RenderedManifests.Manifests;

import static dev.sysdesign.system.RenderedManifests.intValue;
import static dev.sysdesign.system.RenderedManifests.list;
import static dev.sysdesign.system.RenderedManifests.map;
import static dev.sysdesign.system.RenderedManifests.maps;
import static dev.sysdesign.system.RenderedManifests.name;
import static dev.sysdesign.system.RenderedManifests.path;
import static dev.sysdesign.system.RenderedManifests.render;
import static dev.sysdesign.system.RenderedManifests.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code k8s/} in step with the code, since no cluster runs here: each overlay is
 * rendered with {@code kubectl kustomize} and its objects are checked. Every service
 * module has a Deployment with probes on its management port, resource limits and a
 * non-root security context; the gateway finds the downstream services through headless
 * Services; every address a service reads is provided (directly or through the rendered
 * ConfigMaps and Secrets); the edge serves only the gateway's public port over TLS; the
 * demo's data services run the images the tests use, pinned, with the server options and
 * RabbitMQ definitions of {@code docker-compose.yml}; production points the services at
 * the operators' Services and users; the HPAs scale the gateway, order-service and
 * worker-service; preStop outlasts the time until nobody routes to a pod.
 */
class KubernetesManifestsTests {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

	private static final String GATEWAY = "gateway-service";

	/**
	 * The demo overlay with the ingress-nginx component instead of the Gateway API edge.
	 */
	static final String VARIANT_INGRESS_NGINX = "demo+ingress-nginx";

	private final Path root = RenderedManifests.root();

	@ParameterizedTest
	@ValueSource(strings = { "demo", "production", "managed" })
	void everyServiceModuleHasADeployment(String overlay) throws IOException {
		Manifests manifests = render(overlay);
		for (String module : serviceModules()) {
			Map<String, Object> deployment = manifests.get("Deployment", module);
			assertThat(deployment).as(overlay + ": Deployment " + module).isNotEmpty();
			Map<String, Object> container = appContainer(deployment, module);
			assertThat(container).as(overlay + ": Deployment " + module + " has a container named " + module)
				.isNotEmpty();
			assertThat((String) container.get("image")).as(overlay + ": image of " + module)
				.matches("(.+/)?" + Pattern.quote(module) + "(:[\\w.-]+)?(@sha256:[0-9a-f]+)?");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "demo", "production", "managed" })
	void everyDeploymentHasProbesLimitsAndRunsAsNonRoot(String overlay) {
		Manifests manifests = render(overlay);
		assertThat(manifests.all("Deployment")).as(overlay + " renders Deployments").isNotEmpty();
		for (Map<String, Object> deployment : manifests.all("Deployment")) {
			String name = name(deployment);
			Map<String, Object> pod = podSpec(deployment);
			List<Map<String, Object>> containers = maps(pod.get("containers"));
			assertThat(containers).as(overlay + ": " + name + " containers").isNotEmpty();
			for (Map<String, Object> container : containers) {
				String what = overlay + ": " + name + "/" + container.get("name");
				assertThat(map(container.get("readinessProbe"))).as(what + " readinessProbe").isNotEmpty();
				assertThat(map(container.get("livenessProbe"))).as(what + " livenessProbe").isNotEmpty();
			}
			List<Map<String, Object>> allContainers = new ArrayList<>(containers);
			allContainers.addAll(maps(pod.get("initContainers")));
			for (Map<String, Object> container : allContainers) {
				String what = overlay + ": " + name + "/" + container.get("name");
				assertThat(map(path(container, "resources", "limits"))).as(what + " resource limits")
					.containsKeys("cpu", "memory");
				assertThat(map(path(container, "resources", "requests"))).as(what + " resource requests")
					.containsKeys("cpu", "memory");
				assertThat(effectiveSecurity(pod, container, "runAsNonRoot")).as(what + " runAsNonRoot")
					.isEqualTo(true);
				assertThat(effectiveSecurity(pod, container, "runAsUser")).as(what + " runAsUser")
					.isNotNull()
					.isNotEqualTo(0);
				Map<String, Object> security = map(container.get("securityContext"));
				assertThat(security.get("allowPrivilegeEscalation")).as(what + " allowPrivilegeEscalation")
					.isEqualTo(false);
				assertThat(security.get("readOnlyRootFilesystem")).as(what + " readOnlyRootFilesystem").isEqualTo(true);
				assertThat(list(path(security, "capabilities", "drop"))).as(what + " drops all capabilities")
					.contains("ALL");
			}
			assertThat(pod.get("enableServiceLinks"))
				.as(overlay + ": " + name + " must not get Service variables (a Service named redis would set "
						+ "REDIS_PORT=tcp://…, which the services read as a port)")
				.isEqualTo(false);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "demo", "production", "managed" })
	void probesMetricsAndShutdownMatchEachServicesConfiguration(String overlay) throws IOException {
		Manifests manifests = render(overlay);
		for (String module : serviceModules()) {
			Map<String, Object> deployment = manifests.get("Deployment", module);
			Map<String, Object> pod = podSpec(deployment);
			Map<String, Object> container = appContainer(deployment, module);
			int port = managementPort(module);
			String what = overlay + ": " + module;
			assertHttpProbe(container, "readinessProbe", "/actuator/health/readiness", port, what);
			assertHttpProbe(container, "livenessProbe", "/actuator/health/liveness", port, what);
			Map<String, Object> startup = assertHttpProbe(container, "startupProbe", "/actuator/health/liveness", port,
					what);
			int startupBudget = intValue(startup.getOrDefault("periodSeconds", 10))
					* intValue(startup.getOrDefault("failureThreshold", 3));
			assertThat(startupBudget).as(what + ": seconds the startupProbe gives the JVM to start").isGreaterThan(60);
			Map<String, Object> annotations = map(path(deployment, "spec", "template", "metadata", "annotations"));
			assertThat(annotations).as(what + " Prometheus annotations")
				.containsEntry("prometheus.io/scrape", "true")
				.containsEntry("prometheus.io/path", "/actuator/prometheus")
				.containsEntry("prometheus.io/port", String.valueOf(port));
			int preStop = preStopSeconds(container, what);
			assertThat(preStop)
				.as(what + ": preStop must outlast the time until nobody routes to the pod (k8s/README.md)")
				.isGreaterThanOrEqualTo(routingStopsWithinSeconds(manifests));
			int shutdownPhase = shutdownPhaseSeconds(module);
			assertThat(intValue(pod.getOrDefault("terminationGracePeriodSeconds", 30)))
				.as(what + ": terminationGracePeriodSeconds must cover the preStop pause (" + preStop
						+ " s) and the graceful shutdown (" + shutdownPhase + " s)")
				.isGreaterThan(preStop + shutdownPhase);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "demo", "production", "managed" })
	void theGatewayFindsEveryDownstreamServiceThroughAHeadlessService(String overlay) throws IOException {
		Manifests manifests = render(overlay);
		Map<String, Object> gateway = appContainer(manifests.get("Deployment", GATEWAY), GATEWAY);
		Map<String, String> environment = environment(manifests, overlay + ": " + GATEWAY, gateway);
		Map<String, Object> discovery = map(path(applicationYaml(GATEWAY), "platform", "discovery", "services"));
		List<String> downstream = serviceModules().stream().filter((module) -> !module.equals(GATEWAY)).toList();
		assertThat(discovery.keySet()).as("the gateway's platform.discovery.services")
			.containsExactlyInAnyOrderElementsOf(downstream);
		for (String module : downstream) {
			String what = overlay + ": " + module;
			Map<String, Object> candidates = map(discovery.get(module));
			String dnsVariable = variableName(candidates.get("dns"));
			String urlsVariable = variableName(candidates.get("urls"));
			int port = serverPort(module);
			assertThat(environment).as(what + ": the gateway's " + dnsVariable)
				.containsEntry(dnsVariable, module + ":" + port);
			assertThat(environment).as(what + ": the gateway's static list " + urlsVariable + " must be empty")
				.containsEntry(urlsVariable, "");
			Map<String, Object> service = manifests.get("Service", module);
			assertThat(service).as(what + " Service").isNotEmpty();
			assertThat(path(service, "spec", "clusterIP"))
				.as(what + " Service must be headless (clusterIP: None): the gateway balances over every pod's address")
				.isEqualTo("None");
			Map<String, Object> deployment = manifests.get("Deployment", module);
			assertSelects(service, deployment, what + " Service");
			assertThat(servicePorts(service, appContainer(deployment, module))).as(what + " Service ports")
				.containsEntry(port, port);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "demo", "production", "managed" })
	void onlyTheGatewaysPublicPortIsExposedThroughTheEdgeWithTls(String overlay) throws IOException {
		Manifests manifests = render(overlay);
		Map<String, Object> service = assertGatewayService(manifests, overlay);
		int publicPort = serverPort(GATEWAY);
		assertThat(manifests.all("Ingress")).as(overlay + ": Gateway API is the default edge").isEmpty();
		List<Map<String, Object>> gateways = manifests.all("Gateway");
		assertThat(gateways).as(overlay + " Gateways").hasSize(1);
		Map<String, Object> gateway = gateways.get(0);
		Map<String, Object> https = maps(path(gateway, "spec", "listeners")).stream()
			.filter((listener) -> "HTTPS".equals(listener.get("protocol")))
			.findFirst()
			.orElseThrow(() -> new AssertionError(overlay + ": the Gateway has no HTTPS listener"));
		assertThat(path(https, "tls", "mode")).isEqualTo("Terminate");
		String secret = name(maps(path(https, "tls", "certificateRefs")).get(0));
		assertIssuedByCertManager(manifests, secret, overlay + " Gateway");
		List<Map<String, Object>> backends = new ArrayList<>();
		for (Map<String, Object> route : manifests.all("HTTPRoute")) {
			List<Map<String, Object>> parents = maps(path(route, "spec", "parentRefs"));
			assertThat(parents).as(overlay + ": HTTPRoute " + name(route) + " parents")
				.allSatisfy((parent) -> assertThat(parent.get("name")).isEqualTo(name(gateway)));
			for (Map<String, Object> rule : maps(path(route, "spec", "rules"))) {
				boolean redirects = maps(rule.get("filters")).stream()
					.anyMatch((filter) -> "RequestRedirect".equals(filter.get("type")));
				if (redirects) {
					assertThat(parents).as(overlay + ": only plain HTTP redirects")
						.allSatisfy((parent) -> assertThat(parent.get("sectionName")).isEqualTo("http"));
					continue;
				}
				assertThat(parents).as(overlay + ": routes to the gateway only over HTTPS")
					.allSatisfy((parent) -> assertThat(parent.get("sectionName")).isEqualTo(https.get("name")));
				backends.addAll(maps(rule.get("backendRefs")));
			}
		}
		assertThat(backends).as(overlay + " HTTPRoute backends").isNotEmpty().allSatisfy((backend) -> {
			assertThat(backend.get("name")).isEqualTo(GATEWAY);
			assertThat(backend.get("port")).isEqualTo(publicPort);
		});
		assertThat(servicePorts(service, appContainer(manifests.get("Deployment", GATEWAY), GATEWAY)))
			.containsEntry(publicPort, publicPort);
	}

	@Test
	void theIngressNginxComponentServesTheSameTlsCertificate() throws IOException {
		Manifests manifests = render(VARIANT_INGRESS_NGINX);
		assertGatewayService(manifests, VARIANT_INGRESS_NGINX);
		assertThat(manifests.all("Gateway")).as("the ingress-nginx component replaces the Gateway").isEmpty();
		assertThat(manifests.all("HTTPRoute")).as("the ingress-nginx component replaces the HTTPRoutes").isEmpty();
		List<Map<String, Object>> ingresses = manifests.all("Ingress");
		assertThat(ingresses).hasSize(1);
		Map<String, Object> ingress = ingresses.get(0);
		assertThat(path(ingress, "spec", "ingressClassName")).isEqualTo("nginx");
		assertThat(map(path(ingress, "metadata", "annotations")))
			.containsEntry("nginx.ingress.kubernetes.io/force-ssl-redirect", "true");
		List<Map<String, Object>> tls = maps(path(ingress, "spec", "tls"));
		assertThat(tls).as("the Ingress serves TLS").hasSize(1);
		assertIssuedByCertManager(manifests, (String) tls.get(0).get("secretName"), "Ingress");
		Map<String, Object> service = manifests.get("Service", GATEWAY);
		for (Map<String, Object> rule : maps(path(ingress, "spec", "rules"))) {
			assertThat(strings(tls.get(0).get("hosts"))).as("TLS covers the rule's host")
				.contains(String.valueOf(rule.get("host")));
			for (Map<String, Object> httpPath : maps(path(rule, "http", "paths"))) {
				Map<String, Object> backend = map(path(httpPath, "backend", "service"));
				assertThat(backend.get("name")).isEqualTo(GATEWAY);
				assertThat(servicePort(service, map(backend.get("port")))).isEqualTo(serverPort(GATEWAY));
			}
		}
	}

	/**
	 * {@code /ws/orders} stays open through either edge: the Gateway's route for it has
	 * no request timeout, and the Ingress's idle timeouts exceed the console's keep-alive
	 * interval several times over.
	 */
	@Test
	void webSocketsStayOpenThroughEitherEdge() throws IOException {
		int pingSeconds = consolePingSeconds();
		Manifests gateway = render("demo");
		Map<String, Object> webSocketRule = gateway.all("HTTPRoute")
			.stream()
			.flatMap((route) -> maps(path(route, "spec", "rules")).stream())
			.filter((rule) -> maps(rule.get("matches")).stream()
				.anyMatch((match) -> "/ws/orders".startsWith(String.valueOf(path(match, "path", "value")))
						&& !"/".equals(path(match, "path", "value"))))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no HTTPRoute rule of its own for /ws/orders"));
		assertThat(path(webSocketRule, "timeouts", "request")).as("the WebSocket route's request timeout (0s: none)")
			.isEqualTo("0s");
		Map<String, Object> annotations = map(
				path(render(VARIANT_INGRESS_NGINX).all("Ingress").get(0), "metadata", "annotations"));
		for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
			assertThat(Integer.parseInt(String.valueOf(annotations.get("nginx.ingress.kubernetes.io/" + timeout))))
				.as("ingress-nginx " + timeout + " (s) against the console's ping every " + pingSeconds + " s")
				.isGreaterThanOrEqualTo(4 * pingSeconds);
		}
	}

	private int consolePingSeconds() throws IOException {
		Matcher ping = Pattern.compile("const PING_MS = (\\d+);")
			.matcher(Files.readString(this.root.resolve("gateway-service/src/main/resources/static/assets/live.js")));
		assertThat(ping.find()).as("the console's keep-alive interval (live.js PING_MS)").isTrue();
		return Integer.parseInt(ping.group(1)) / 1000;
	}

	private Map<String, Object> assertGatewayService(Manifests manifests, String overlay) throws IOException {
		Map<String, Object> deployment = manifests.get("Deployment", GATEWAY);
		Map<String, Object> service = manifests.get("Service", GATEWAY);
		assertThat(service).as(overlay + ": Service " + GATEWAY).isNotEmpty();
		assertThat(path(service, "spec", "clusterIP")).as(overlay + ": the gateway's Service has a cluster IP")
			.isNotEqualTo("None");
		assertSelects(service, deployment, overlay + ": Service " + GATEWAY);
		assertThat(servicePorts(service, appContainer(deployment, GATEWAY)))
			.as(overlay + ": the gateway's Service ports")
			.containsEntry(serverPort(GATEWAY), serverPort(GATEWAY))
			.containsEntry(managementPort(GATEWAY), managementPort(GATEWAY));
		return service;
	}

	/**
	 * A cert-manager Certificate writes the secret, issued by an issuer the cluster or
	 * overlay has.
	 */
	private static void assertIssuedByCertManager(Manifests manifests, String secret, String what) {
		Map<String, Object> certificate = manifests.all("Certificate")
			.stream()
			.filter((candidate) -> secret.equals(path(candidate, "spec", "secretName")))
			.findFirst()
			.orElseThrow(() -> new AssertionError(what + ": no cert-manager Certificate writes " + secret));
		Map<String, Object> issuer = map(path(certificate, "spec", "issuerRef"));
		assertThat(issuer.get("kind")).as(what + " issuer kind").isIn("Issuer", "ClusterIssuer");
		if ("Issuer".equals(issuer.get("kind"))) {
			assertThat(manifests.get("Issuer", name(issuer))).as(what + ": the overlay's Issuer").isNotEmpty();
		}
		assertThat(manifests.get("Secret", secret)).as(what + ": the key is cert-manager's, never in the manifests")
			.isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "demo", "production", "managed" })
	void everyAddressAServiceReadsIsProvided(String overlay) throws IOException {
		Manifests manifests = render(overlay);
		for (String module : serviceModules()) {
			String what = overlay + ": " + module;
			Map<String, String> environment = environment(manifests, what,
					appContainer(manifests.get("Deployment", module), module));
			for (Map.Entry<String, String> variable : variables(module).entrySet()) {
				String defaultValue = variable.getValue();
				boolean required = defaultValue == null || defaultValue.contains("127.0.0.1")
						|| defaultValue.contains("localhost");
				if (required) {
					assertThat(environment)
						.as(what + " must be given " + variable.getKey() + " (its application.yml default is "
								+ defaultValue + ")")
						.containsKey(variable.getKey());
					assertThat(environment.get(variable.getKey()))
						.as(what + ": " + variable.getKey() + " must not point at the pod itself")
						.doesNotContain("127.0.0.1")
						.doesNotContain("localhost");
				}
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "demo", "production", "managed" })
	void horizontalPodAutoscalersScaleTheGatewayOrderServiceAndWorkerService(String overlay) {
		Manifests manifests = render(overlay);
		List<String> targets = new ArrayList<>();
		for (Map<String, Object> autoscaler : manifests.all("HorizontalPodAutoscaler")) {
			Map<String, Object> target = map(path(autoscaler, "spec", "scaleTargetRef"));
			String targetName = (String) target.get("name");
			String what = overlay + ": HorizontalPodAutoscaler " + name(autoscaler);
			targets.add(targetName);
			assertThat(autoscaler.get("apiVersion")).as(what).isEqualTo("autoscaling/v2");
			assertThat(target.get("kind")).as(what + " target kind").isEqualTo("Deployment");
			Map<String, Object> deployment = manifests.get("Deployment", targetName);
			assertThat(deployment).as(what + " targets an existing Deployment").isNotEmpty();
			assertThat(map(deployment.get("spec")))
				.as(what + ": Deployment " + targetName
						+ " must leave replicas to the autoscaler (apply would reset the running count)")
				.doesNotContainKey("replicas");
			int minReplicas = intValue(path(autoscaler, "spec", "minReplicas"));
			assertThat(minReplicas).as(what + " minReplicas").isGreaterThanOrEqualTo(2);
			assertThat(intValue(path(autoscaler, "spec", "maxReplicas"))).as(what + " maxReplicas")
				.isGreaterThan(minReplicas);
			assertThat(maps(path(autoscaler, "spec", "metrics"))).as(what + " scales on 70 % CPU")
				.anySatisfy((metric) -> {
					assertThat(path(metric, "resource", "name")).isEqualTo("cpu");
					assertThat(path(metric, "resource", "target", "averageUtilization")).isEqualTo(70);
				});
		}
		assertThat(targets).as(overlay + ": Deployments scaled by HorizontalPodAutoscalers")
			.containsExactlyInAnyOrder(GATEWAY, "order-service", "worker-service");
	}

	@ParameterizedTest
	@ValueSource(strings = { "demo", "production", "managed" })
	void everyServiceHasADisruptionBudget(String overlay) throws IOException {
		Manifests manifests = render(overlay);
		List<String> protectedDeployments = new ArrayList<>();
		for (Map<String, Object> budget : manifests.all("PodDisruptionBudget")) {
			String what = overlay + ": PodDisruptionBudget " + name(budget);
			for (Map<String, Object> deployment : manifests.all("Deployment")) {
				if (selects(map(path(budget, "spec", "selector", "matchLabels")), deployment)) {
					assertThat(path(budget, "spec", "minAvailable")).as(what + " minAvailable").isEqualTo(1);
					protectedDeployments.add(name(deployment));
				}
			}
		}
		assertThat(protectedDeployments).as(overlay + ": Deployments with a PodDisruptionBudget")
			.containsAll(serviceModules());
	}

	@Test
	void demoDataServicesRunTheTestsImagesPinnedAndRedisTheComposeServerOptions() {
		Manifests manifests = render("demo");
		Map<String, String> expected = Map.of("mysql", Images.MYSQL, "redis", Images.REDIS, "rabbitmq",
				Images.RABBITMQ);
		Map<String, String> workloads = Map.of("mysql-primary", "mysql", "mysql-replica", "mysql", "redis", "redis",
				"rabbitmq", "rabbitmq");
		workloads.forEach((workload, repository) -> assertThat(images(manifests.get("StatefulSet", workload)))
			.as("demo: StatefulSet " + workload)
			.isNotEmpty()
			.allSatisfy((image) -> assertPinned(image, expected.get(repository))));
		for (String kind : List.of("Deployment", "StatefulSet", "Job")) {
			for (Map<String, Object> workload : manifests.all(kind)) {
				for (String image : images(workload)) {
					String repository = image.replaceAll("[:@].*$", "");
					if (expected.containsKey(repository)) {
						assertPinned(image, expected.get(repository));
					}
				}
			}
		}
		// (the demo's MySQL pair has no counterpart in compose, which runs the MariaDB
		// cluster with its failover monitor; the production overlay's operator runs
		// MariaDB)
		Map<String, Object> compose = composeServices();
		for (String server : List.of("redis")) {
			Map<String, Object> container = maps(path(podSpec(manifests.get("StatefulSet", server)), "containers"))
				.get(0);
			List<String> arguments = new ArrayList<>(strings(container.get("command")));
			arguments.addAll(strings(container.get("args")));
			List<String> composeCommand = strings(path(compose, server, "command")).stream()
				.map((argument) -> argument.replace("$$", "$"))
				.toList();
			assertThat(arguments).as("demo: " + server + " runs with the options of docker-compose.yml")
				.containsSubsequence(composeCommand);
		}
		Map<String, Object> replica = maps(path(podSpec(manifests.get("StatefulSet", "mysql-replica")), "containers"))
			.get(0);
		assertThat(list(replica.get("args"))).as("demo: the replica is read-only").contains("--read-only=ON");
		assertThat(maps(replica.get("env"))).as("demo: the replica receives everything through replication")
			.noneSatisfy((variable) -> assertThat((String) variable.get("name")).isIn("MYSQL_DATABASE", "MYSQL_USER"));
		assertThat(replica.get("envFrom")).as("demo: the replica takes no environment in bulk").isNull();
	}

	/**
	 * The image the tests use (or its Alpine variant), by digest: the demo runs what the
	 * tests ran.
	 */
	private static void assertPinned(String image, String testImage) {
		assertThat(image).as("the demo runs " + testImage + " pinned by digest")
			.startsWith(testImage)
			.matches(".+@sha256:[0-9a-f]{64}");
	}

	@Test
	void demoRabbitmqLoadsTheComposeDefinitions() throws IOException {
		Manifests manifests = render("demo");
		Map<String, Object> pod = podSpec(manifests.get("StatefulSet", "rabbitmq"));
		String configMap = maps(pod.get("volumes")).stream()
			.filter((volume) -> "scripts".equals(volume.get("name")))
			.map((volume) -> (String) path(volume, "configMap", "name"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("demo: rabbitmq mounts no ConfigMap scripts"));
		Map<String, String> files = data(manifests, "ConfigMap", configMap, "demo: StatefulSet rabbitmq");
		for (String file : List.of("definitions.json", "render-definitions.sh", "20-sysdesign.conf")) {
			assertThat(files.get(file))
				.as("the demo overlay's copy of infra/rabbitmq/" + file
						+ " (kustomize cannot read files outside the overlay): copy it again")
				.isEqualTo(Files.readString(this.root.resolve("infra/rabbitmq").resolve(file)));
		}
		Map<String, Object> render = maps(pod.get("initContainers")).get(0);
		assertThat(strings(render.get("command"))).as("demo: rabbitmq renders its definitions first")
			.contains("/etc/sysdesign/render-definitions.sh");
		Map<String, String> environment = environment(manifests, "demo: rabbitmq", render);
		for (String service : List.of("order-service", "worker-service")) {
			Map<String, String> serviceEnvironment = environment(manifests, "demo: " + service,
					appContainer(manifests.get("Deployment", service), service));
			String prefix = service.replace("-service", "").toUpperCase();
			assertThat(environment).as("demo: rabbitmq defines the user " + service + " connects with")
				.containsEntry(prefix + "_RABBITMQ_USER", serviceEnvironment.get("RABBITMQ_USER"))
				.containsEntry(prefix + "_RABBITMQ_PASSWORD", serviceEnvironment.get("RABBITMQ_PASSWORD"));
			assertThat(serviceEnvironment.get("RABBITMQ_USER")).isEqualTo(service);
		}
	}

	@Test
	void theMysqlInitJobRunsTheComposeProvisioningScripts() throws IOException {
		Manifests manifests = render("demo");
		Map<String, Object> job = manifests.get("Job", "mysql-init");
		assertThat(job).as("demo: Job mysql-init").isNotEmpty();
		Map<String, Object> pod = podSpec(job);
		Map<String, Object> container = maps(pod.get("containers")).get(0);
		assertThat(String.join(" ", strings(container.get("command"))) + " "
				+ String.join(" ", strings(container.get("args"))))
			.as("mysql-init runs the replication setup")
			.contains("/init/replication-setup.sh");
		String volume = maps(container.get("volumeMounts")).stream()
			.filter((mount) -> "/init".equals(mount.get("mountPath")))
			.map((mount) -> (String) mount.get("name"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("mysql-init mounts nothing at /init"));
		String configMapName = maps(pod.get("volumes")).stream()
			.filter((candidate) -> volume.equals(candidate.get("name")))
			.map((candidate) -> (String) path(candidate, "configMap", "name"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("mysql-init has no ConfigMap volume " + volume));
		Map<String, String> scripts = data(manifests, "ConfigMap", configMapName, "Job mysql-init");
		for (String file : List.of("init.sql", "replication-setup.sh")) {
			assertThat(scripts.get(file))
				.as("the demo overlay's copy of infra/mysql/" + file + " (kustomize cannot read files outside "
						+ "the overlay): copy it again")
				.isEqualTo(Files.readString(this.root.resolve("infra/mysql").resolve(file)));
		}
	}

	@Test
	void demoAddressesNameTheDemoServices() throws IOException {
		Manifests manifests = render("demo");
		Map<String, String> addresses = addresses(manifests);
		List<String> databaseUrls = addresses.keySet().stream().filter((name) -> name.endsWith("_DB_URL")).toList();
		assertThat(databaseUrls).as("demo database URLs")
			.contains("ORDER_DB_URL", "ORDER_REPLICA_DB_URL", "WORKER_DB_URL", "SESSION_DB_URL");
		for (String variable : databaseUrls) {
			URI url = URI.create(addresses.get(variable).substring("jdbc:".length()));
			assertServiceListens(manifests, url.getHost(), url.getPort(), variable);
		}
		assertThat(URI.create(addresses.get("ORDER_REPLICA_DB_URL").substring(5)).getHost())
			.as("ORDER_REPLICA_DB_URL names the replica")
			.isEqualTo("mysql-replica");
		assertThat(URI.create(addresses.get("ORDER_DB_URL").substring(5)).getHost())
			.as("ORDER_DB_URL names the primary")
			.isEqualTo("mysql-primary");
		assertThat(addresses).as("demo addresses")
			.containsKeys("REDIS_HOST", "REDIS_PORT", "RABBITMQ_HOST", "RABBITMQ_PORT");
		assertServiceListens(manifests, addresses.get("REDIS_HOST"), Integer.parseInt(addresses.get("REDIS_PORT")),
				"REDIS_HOST");
		assertServiceListens(manifests, addresses.get("RABBITMQ_HOST"),
				Integer.parseInt(addresses.get("RABBITMQ_PORT")), "RABBITMQ_HOST");
	}

	@Test
	void productionAddressesNameTheOperatorsServices() throws IOException {
		Manifests manifests = render("production");
		Map<String, String> addresses = addresses(manifests);
		List<Map<String, Object>> databases = manifests.all("MariaDB");
		assertThat(databases).as("production: one MariaDB").hasSize(1);
		Map<String, Object> database = databases.get(0);
		assertThat(path(database, "spec", "replication", "enabled")).isEqualTo(true);
		assertThat(path(database, "spec", "replication", "primary", "autoFailover")).isEqualTo(true);
		assertThat(intValue(path(database, "spec", "replicas"))).isGreaterThanOrEqualTo(3);
		String primary = name(database) + "-primary";
		for (String variable : List.of("ORDER_DB_URL", "WORKER_DB_URL", "SESSION_DB_URL")) {
			assertThat(URI.create(addresses.get(variable).substring(5)).getHost())
				.as("production: " + variable + " names the operator's primary Service")
				.isEqualTo(primary);
		}
		assertThat(URI.create(addresses.get("ORDER_REPLICA_DB_URL").substring(5)).getHost())
			.as("production: reads go to the operator's replica Service")
			.isEqualTo(name(database) + "-secondary");
		assertThat(manifests.all("PhysicalBackup")).as("production: scheduled backups")
			.anySatisfy((backup) -> assertThat(path(backup, "spec", "schedule", "cron")).isNotNull());
		Map<String, Object> rabbit = manifests.all("RabbitmqCluster").get(0);
		assertThat(path(rabbit, "spec", "replicas")).as("production: three nodes for quorum queues").isEqualTo(3);
		assertThat(addresses).containsEntry("RABBITMQ_HOST", name(rabbit));
		Map<String, Object> redis = manifests.all("RedisReplication").get(0);
		assertThat(intValue(path(redis, "spec", "sentinel", "size"))).as("production: a Sentinel quorum")
			.isGreaterThanOrEqualTo(3);
		assertThat(addresses).containsEntry("SPRING_DATA_REDIS_SENTINEL_MASTER", "mymaster");
		assertThat(addresses.get("SPRING_DATA_REDIS_SENTINEL_NODES").split(","))
			.allSatisfy((node) -> assertThat(node).startsWith(name(redis) + "-s-").endsWith(":26379"));
		for (Map<String, Object> user : manifests.all("User")) {
			if (String.valueOf(user.get("apiVersion")).startsWith("k8s.mariadb.com")) {
				Map<String, Object> reference = map(path(user, "spec", "passwordSecretKeyRef"));
				String key = (String) reference.get("key");
				Map<String, String> secret = data(manifests, "Secret", name(reference), "User " + name(user));
				assertThat(secret.get(key.replace("_PASSWORD", "_USER")))
					.as("production: database user " + name(user) + " is the one its service logs in as")
					.isEqualTo(name(user));
			}
		}
	}

	@Test
	void productionRabbitmqPermissionsAllowEachServiceOnlyWhatItUses() throws IOException {
		Manifests manifests = render("production");
		for (String service : List.of("order-service", "worker-service")) {
			Map<String, Object> permission = manifests.get("Permission", service);
			assertThat(path(permission, "spec", "userReference", "name")).isEqualTo(service);
			Map<String, String> patterns = new LinkedHashMap<>();
			map(path(permission, "spec", "permissions"))
				.forEach((key, value) -> patterns.put(key, String.valueOf(value)));
			RabbitPermissions.assertLeastPrivilege(service, patterns,
					RabbitPermissions.retryDelays(variables(service).get("MESSAGING_RETRY_DELAYS")),
					"production Permission " + service);
			Map<String, Object> user = manifests.all("User")
				.stream()
				.filter((candidate) -> "rabbitmq.com/v1beta1".equals(candidate.get("apiVersion")))
				.filter((candidate) -> service.equals(name(candidate)))
				.findFirst()
				.orElseThrow();
			String secret = (String) path(user, "spec", "importCredentialsSecret", "name");
			Map<String, String> environment = environment(manifests, "production: " + service,
					appContainer(manifests.get("Deployment", service), service));
			Map<String, String> credentials = data(manifests, "Secret", secret, "User " + service);
			assertThat(credentials).as("production: the topology operator creates the user " + service + " logs in as")
				.containsEntry("username", environment.get("RABBITMQ_USER"))
				.containsEntry("password", environment.get("RABBITMQ_PASSWORD"));
			assertThat(map(path(manifests.get("Secret", secret), "metadata", "labels")))
				.containsEntry("rabbitmq.com/topology-operator", "true");
		}
	}

	@Test
	void theManagedOverlayRunsNoDataServicesAndSpeaksTls() throws IOException {
		Manifests manifests = render("managed");
		assertThat(manifests.all("StatefulSet")).as("managed: no data services in the cluster").isEmpty();
		assertThat(manifests.all("Job")).as("managed: no provisioning Job").isEmpty();
		Map<String, String> addresses = addresses(manifests);
		assertThat(addresses).as("managed addresses")
			.containsKeys("ORDER_DB_URL", "ORDER_REPLICA_DB_URL", "REDIS_HOST", "RABBITMQ_HOST");
		assertThat(URI.create(addresses.get("ORDER_REPLICA_DB_URL").substring(5)).getHost())
			.as("managed: reads go to the reader endpoint, not the writer")
			.isNotEqualTo(URI.create(addresses.get("ORDER_DB_URL").substring(5)).getHost());
		assertThat(addresses).as("managed: Amazon MQ speaks AMQPS only")
			.containsEntry("RABBITMQ_PORT", "5671")
			.containsEntry("SPRING_RABBITMQ_SSL_ENABLED", "true");
	}

	/** Every variable the four services get, resolved. */
	private Map<String, String> addresses(Manifests manifests) throws IOException {
		Map<String, String> addresses = new LinkedHashMap<>();
		for (String module : serviceModules()) {
			addresses.putAll(environment(manifests, manifests.overlay() + ": " + module,
					appContainer(manifests.get("Deployment", module), module)));
		}
		return addresses;
	}

	private static Map<String, Object> assertHttpProbe(Map<String, Object> container, String probe, String path,
			int port, String what) {
		Map<String, Object> httpGet = map(path(container, probe, "httpGet"));
		assertThat(httpGet).as(what + " " + probe + " is an HTTP GET").isNotEmpty();
		assertThat(httpGet.get("path")).as(what + " " + probe + " path").isEqualTo(path);
		assertThat(containerPort(container, httpGet.get("port"))).as(what + " " + probe + " port").isEqualTo(port);
		return map(container.get(probe));
	}

	private static int preStopSeconds(Map<String, Object> container, String what) {
		Map<String, Object> preStop = map(path(container, "lifecycle", "preStop"));
		Object sleep = path(preStop, "sleep", "seconds");
		if (sleep != null) {
			return intValue(sleep);
		}
		Matcher matcher = Pattern.compile("\\bsleep\\s+(\\d+)")
			.matcher(String.join(" ", strings(path(preStop, "exec", "command"))));
		assertThat(matcher.find())
			.as(what + " pauses in preStop, so that its endpoint is removed before the shutdown starts")
			.isTrue();
		int seconds = Integer.parseInt(matcher.group(1));
		assertThat(seconds).as(what + " preStop pause").isPositive();
		return seconds;
	}

	/**
	 * The longest a terminating pod still receives requests: its EndpointSlice update
	 * reaches CoreDNS (about 1 s), CoreDNS's answers live for its TTL (5 s, the
	 * kubernetes plugin's default), the gateway's JVM caches them
	 * ({@code -Dsun.net.inetaddr.ttl}), re-resolves every refresh interval and probes
	 * within its probe timeout. The edge's proxies learn EndpointSlice changes directly,
	 * well within this.
	 */
	private int routingStopsWithinSeconds(Manifests manifests) throws IOException {
		int endpointPropagation = 1;
		int coreDnsTtl = 5;
		Map<String, String> gateway = environment(manifests, "gateway",
				appContainer(manifests.get("Deployment", GATEWAY), GATEWAY));
		Matcher jvmTtl = Pattern.compile("-Dsun\\.net\\.inetaddr\\.ttl=(\\d+)")
			.matcher(gateway.getOrDefault("JDK_JAVA_OPTIONS", ""));
		assertThat(jvmTtl.find()).as("the gateway bounds its JVM's DNS cache (-Dsun.net.inetaddr.ttl)").isTrue();
		Object probeTimeout = path(applicationYaml(GATEWAY), "platform", "discovery", "probe-timeout");
		return endpointPropagation + coreDnsTtl + Integer.parseInt(jvmTtl.group(1))
				+ seconds(gateway.get("DISCOVERY_REFRESH_INTERVAL")) + seconds(String.valueOf(probeTimeout));
	}

	private static int seconds(String duration) {
		Matcher matcher = Pattern.compile("(\\d+)s").matcher(String.valueOf(duration));
		assertThat(matcher.matches()).as("a duration in seconds: " + duration).isTrue();
		return Integer.parseInt(matcher.group(1));
	}

	private int shutdownPhaseSeconds(String module) throws IOException {
		Object phase = path(applicationYaml(module), "spring", "lifecycle", "timeout-per-shutdown-phase");
		if (phase == null) {
			return 30;
		}
		Matcher matcher = Pattern.compile("(\\d+)s").matcher(phase.toString());
		assertThat(matcher.matches()).as(module + " timeout-per-shutdown-phase in seconds: " + phase).isTrue();
		return Integer.parseInt(matcher.group(1));
	}

	private static void assertServiceListens(Manifests manifests, String host, int port, String variable) {
		Map<String, Object> service = manifests.get("Service", host);
		assertThat(service).as(variable + " names the Service " + host).isNotEmpty();
		assertThat(maps(path(service, "spec", "ports"))).as(variable + ": Service " + host + " port " + port)
			.anySatisfy((servicePort) -> assertThat(servicePort.get("port")).isEqualTo(port));
	}

	private static void assertSelects(Map<String, Object> service, Map<String, Object> deployment, String what) {
		Map<String, Object> selector = map(path(service, "spec", "selector"));
		assertThat(selector).as(what + " selector").isNotEmpty();
		assertThat(selects(selector, deployment)).as(what + " selects the pods of " + name(deployment)).isTrue();
	}

	private static boolean selects(Map<String, Object> matchLabels, Map<String, Object> deployment) {
		Map<String, Object> labels = map(path(deployment, "spec", "template", "metadata", "labels"));
		return !matchLabels.isEmpty() && labels.entrySet().containsAll(matchLabels.entrySet());
	}

	/** Service port to the container port it reaches. */
	private static Map<Integer, Integer> servicePorts(Map<String, Object> service, Map<String, Object> container) {
		Map<Integer, Integer> ports = new LinkedHashMap<>();
		for (Map<String, Object> port : maps(path(service, "spec", "ports"))) {
			Object target = port.getOrDefault("targetPort", port.get("port"));
			ports.put(intValue(port.get("port")), containerPort(container, target));
		}
		return ports;
	}

	/**
	 * The port number a Service port reference ({@code number} or {@code name}) means.
	 */
	private static int servicePort(Map<String, Object> service, Map<String, Object> reference) {
		if (reference.get("number") != null) {
			return intValue(reference.get("number"));
		}
		return maps(path(service, "spec", "ports")).stream()
			.filter((port) -> reference.get("name") != null && reference.get("name").equals(port.get("name")))
			.map((port) -> intValue(port.get("port")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no port " + reference + " on Service " + name(service)));
	}

	/** A port number or the number of a named container port. */
	private static int containerPort(Map<String, Object> container, Object port) {
		if (port instanceof Number number) {
			return number.intValue();
		}
		return maps(container.get("ports")).stream()
			.filter((candidate) -> String.valueOf(port).equals(candidate.get("name")))
			.map((candidate) -> intValue(candidate.get("containerPort")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("container " + container.get("name") + " has no port " + port));
	}

	private static Object effectiveSecurity(Map<String, Object> pod, Map<String, Object> container, String field) {
		Object value = map(container.get("securityContext")).get(field);
		return (value != null) ? value : map(pod.get("securityContext")).get(field);
	}

	/**
	 * The environment a container gets, as Kubernetes builds it: {@code envFrom} first,
	 * then {@code env}, with references resolved against the rendered ConfigMaps and
	 * Secrets (which must exist) and field references as {@code $(fieldRef:...)}.
	 */
	private static Map<String, String> environment(Manifests manifests, String what, Map<String, Object> container) {
		Map<String, String> environment = new LinkedHashMap<>();
		for (Map<String, Object> source : maps(container.get("envFrom"))) {
			boolean configMap = source.containsKey("configMapRef");
			Map<String, Object> reference = map(source.get(configMap ? "configMapRef" : "secretRef"));
			String prefix = String.valueOf(source.getOrDefault("prefix", ""));
			String kind = configMap ? "ConfigMap" : "Secret";
			if (Boolean.TRUE.equals(reference.get("optional")) && manifests.get(kind, name(reference)).isEmpty()) {
				continue;
			}
			data(manifests, kind, name(reference), what).forEach((key, value) -> environment.put(prefix + key, value));
		}
		for (Map<String, Object> variable : maps(container.get("env"))) {
			String name = (String) variable.get("name");
			Map<String, Object> valueFrom = map(variable.get("valueFrom"));
			if (valueFrom.isEmpty()) {
				Object value = variable.get("value");
				environment.put(name, (value != null) ? value.toString() : "");
				continue;
			}
			boolean configMap = valueFrom.containsKey("configMapKeyRef");
			Map<String, Object> reference = map(valueFrom.get(configMap ? "configMapKeyRef" : "secretKeyRef"));
			if (reference.isEmpty()) {
				Object field = path(valueFrom, "fieldRef", "fieldPath");
				environment.put(name, "$(fieldRef:" + ((field != null) ? field : valueFrom) + ")");
				continue;
			}
			String kind = configMap ? "ConfigMap" : "Secret";
			Map<String, String> data = data(manifests, kind, name(reference), what);
			assertThat(data)
				.as(what + ": " + name + " reads key " + reference.get("key") + " of " + kind + " " + name(reference))
				.containsKey((String) reference.get("key"));
			environment.put(name, data.get((String) reference.get("key")));
		}
		return environment;
	}

	/** The data of a rendered ConfigMap or Secret (decoded). */
	private static Map<String, String> data(Manifests manifests, String kind, String name, String reader) {
		Map<String, Object> object = manifests.get(kind, name);
		assertThat(object)
			.as(reader + " reads " + kind + " " + name + ", which " + manifests.overlay() + " does not render")
			.isNotEmpty();
		Map<String, String> data = new LinkedHashMap<>();
		map(object.get("data")).forEach((key, value) -> data.put(key,
				(kind.equals("Secret"))
						? new String(Base64.getDecoder().decode(String.valueOf(value)), StandardCharsets.UTF_8)
						: String.valueOf(value)));
		map(object.get("stringData")).forEach((key, value) -> data.put(key, String.valueOf(value)));
		return data;
	}

	private static List<String> images(Map<String, Object> workload) {
		assertThat(workload).as("workload").isNotEmpty();
		Map<String, Object> pod = podSpec(workload);
		List<String> images = new ArrayList<>();
		for (String containers : List.of("initContainers", "containers")) {
			maps(pod.get(containers)).forEach((container) -> images.add((String) container.get("image")));
		}
		return images;
	}

	private static Map<String, Object> appContainer(Map<String, Object> deployment, String module) {
		return maps(path(podSpec(deployment), "containers")).stream()
			.filter((container) -> module.equals(container.get("name")))
			.findFirst()
			.orElse(Map.of());
	}

	private static Map<String, Object> podSpec(Map<String, Object> workload) {
		return map(path(workload, "spec", "template", "spec"));
	}

	private List<String> serviceModules() throws IOException {
		String pom = Files.readString(this.root.resolve("pom.xml"));
		List<String> modules = new ArrayList<>();
		Matcher matcher = Pattern.compile("<module>([a-z-]+-service)</module>").matcher(pom);
		while (matcher.find()) {
			modules.add(matcher.group(1));
		}
		assertThat(modules).hasSize(4).contains(GATEWAY);
		return modules;
	}

	private Map<String, Object> applicationYaml(String module) throws IOException {
		return map(new Yaml().load(Files.readString(applicationYamlPath(module))));
	}

	private Path applicationYamlPath(String module) {
		return this.root.resolve(module).resolve("src/main/resources/application.yml");
	}

	private int serverPort(String module) throws IOException {
		Object port = path(applicationYaml(module), "server", "port");
		assertThat(port).as(module + " server.port").isNotNull();
		return Integer.parseInt(defaultOf(port));
	}

	/** The actuator's port: management.server.port, otherwise the service port. */
	private int managementPort(String module) throws IOException {
		Object port = path(applicationYaml(module), "management", "server", "port");
		return (port != null) ? Integer.parseInt(defaultOf(port)) : serverPort(module);
	}

	/** A value, or the default of a value that is one placeholder. */
	private static String defaultOf(Object value) {
		Matcher matcher = PLACEHOLDER.matcher(value.toString());
		return matcher.matches() ? matcher.group(2) : value.toString();
	}

	/** The environment variable a value that is one placeholder reads. */
	private static String variableName(Object value) {
		Matcher matcher = PLACEHOLDER.matcher(String.valueOf(value));
		assertThat(matcher.matches()).as(value + " is an environment placeholder").isTrue();
		return matcher.group(1);
	}

	/**
	 * Environment variables a module's application.yml reads, with their defaults (null:
	 * none).
	 */
	private Map<String, String> variables(String module) throws IOException {
		String yaml = Files.readString(applicationYamlPath(module));
		Map<String, String> variables = new LinkedHashMap<>();
		Matcher matcher = PLACEHOLDER.matcher(yaml);
		while (matcher.find()) {
			variables.put(matcher.group(1), matcher.group(2));
		}
		assertThat(variables).as(module + " reads environment variables").isNotEmpty();
		return variables;
	}

	private Map<String, Object> composeServices() {
		try {
			return map(map(new Yaml().load(Files.readString(this.root.resolve("docker-compose.yml")))).get("services"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
