package dev.sysdesign.gateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway as web server and CDN origin of the console, over a real socket (the
 * compression is the server's): content-hashed asset names cached for good, the page and
 * plain names revalidated with ETags (304), gzip only for clients that accept it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "platform.discovery.refresh-interval=200ms" })
@UsePlatformInfrastructure
class ConsoleDeliveryIntegrationTests {

	static final Pattern HASHED_SCRIPT = Pattern.compile("src=\"(/assets/console-[0-9a-f]{32}\\.js)\"");

	static final Pattern IMPORT_MAP = Pattern.compile("<script type=\"importmap\">(.*?)</script>");

	static final Pattern MAPPED_MODULE = Pattern.compile("\"(/assets/[\\w.-]+\\.js)\":\"(/assets/[\\w.-]+\\.js)\"");

	static final FakeService backend = FakeService.start("backend");

	@LocalServerPort
	int port;

	final HttpClient raw = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry registry) {
		backend.standInForEveryService(registry);
	}

	@AfterAll
	static void stopBackend() {
		backend.close();
	}

	WebTestClient client() {
		return WebTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	@Test
	void pageIsRevalidatedWithItsEtag() {
		EntityExchangeResult<String> page = get("/");
		assertThat(page.getStatus().value()).isEqualTo(200);
		assertThat(page.getResponseHeaders().getContentType()).hasToString("text/html;charset=UTF-8");
		assertThat(page.getResponseHeaders().getCacheControl()).isEqualTo("no-cache");
		String etag = page.getResponseHeaders().getETag();
		assertThat(etag).matches("W/\"[0-9a-f]{32}\"");

		EntityExchangeResult<String> again = get("/", HttpHeaders.IF_NONE_MATCH, etag);
		assertThat(again.getStatus().value()).isEqualTo(304);
		assertThat(again.getResponseBody()).isNull();
		assertThat(again.getResponseHeaders().getETag()).isEqualTo(etag);
		// a browser updates the cached page's headers from the 304: it must keep the
		// page's policy
		assertThat(again.getResponseHeaders().getFirst("Content-Security-Policy"))
			.isEqualTo(page.getResponseHeaders().getFirst("Content-Security-Policy"));
		assertThat(get("/index.html").getResponseHeaders().getETag()).isEqualTo(etag);
		assertThat(get("/", HttpHeaders.IF_NONE_MATCH, "W/\"stale\"").getStatus().value()).isEqualTo(200);
	}

	/**
	 * Every response carries the browser security headers; the page's policy allows its
	 * own origin and exactly its inline import map (by hash), everything else loads
	 * nothing. No HSTS over plain HTTP.
	 */
	@Test
	void everyResponseCarriesTheSecurityHeaders() throws Exception {
		EntityExchangeResult<String> page = get("/");
		for (EntityExchangeResult<String> response : List.of(page, get("/assets/console.css"), get("/api/products"),
				get("/api/orders"), get("/no/such/page"))) {
			HttpHeaders headers = response.getResponseHeaders();
			assertThat(headers.getFirst("X-Content-Type-Options")).as(response.getUrl().toString())
				.isEqualTo("nosniff");
			assertThat(headers.getFirst("Referrer-Policy")).isEqualTo("no-referrer");
			assertThat(headers.getFirst("X-Frame-Options")).isEqualTo("DENY");
			assertThat(headers.getFirst("Content-Security-Policy")).contains("frame-ancestors 'none'");
			assertThat(headers.getFirst("Strict-Transport-Security")).isNull();
		}
		String importMap = IMPORT_MAP.matcher(page.getResponseBody()).results().findFirst().orElseThrow().group(1);
		String hash = java.util.Base64.getEncoder()
			.encodeToString(java.security.MessageDigest.getInstance("SHA-256")
				.digest(importMap.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		assertThat(page.getResponseHeaders().getFirst("Content-Security-Policy"))
			.contains("script-src 'self' 'sha256-" + hash + "'")
			.contains("default-src 'self'")
			.doesNotContain("unsafe-inline");
		assertThat(get("/api/products").getResponseHeaders().getFirst("Content-Security-Policy"))
			.startsWith("default-src 'none'");
	}

	@Test
	void pageLinksContentHashedNamesAndMapsEveryModule() {
		String page = get("/").getResponseBody();
		assertThat(page).containsPattern("href=\"/assets/console-[0-9a-f]{32}\\.css\"")
			.containsPattern("href=\"/assets/favicon-[0-9a-f]{32}\\.svg\"")
			.containsPattern(HASHED_SCRIPT.pattern())
			.doesNotContain("\"/assets/console.js\"></script>");
		Matcher map = IMPORT_MAP.matcher(page);
		assertThat(map.find()).as(page).isTrue();
		List<String> modules = MAPPED_MODULE.matcher(map.group(1)).results().map((module) -> module.group(1)).toList();
		assertThat(modules).contains("/assets/admin.js", "/assets/api.js", "/assets/catalog.js", "/assets/console.js",
				"/assets/dom.js", "/assets/events.js", "/assets/http.js", "/assets/live.js", "/assets/orders.js",
				"/assets/session.js", "/assets/util.js", "/assets/views.js");
		MAPPED_MODULE.matcher(map.group(1)).results().forEach((module) -> {
			assertThat(module.group(2)).matches(module.group(1).replace(".js", "") + "-[0-9a-f]{32}\\.js");
			assertThat(get(module.group(2)).getStatus().value()).as(module.group(2)).isEqualTo(200);
		});
	}

	@Test
	void hashedAssetsAreCachedForAYearAndRevalidatedWithTheirEtag() {
		String script = hashedScript();
		EntityExchangeResult<String> asset = get(script);
		assertThat(asset.getStatus().value()).isEqualTo(200);
		assertThat(asset.getResponseHeaders().getContentType()).hasToString("text/javascript");
		assertThat(asset.getResponseHeaders().getCacheControl()).isEqualTo("max-age=31536000, public, immutable");
		assertThat(asset.getResponseHeaders().getLastModified()).as("jar entries share one fixed time").isEqualTo(-1);
		String etag = asset.getResponseHeaders().getETag();
		assertThat(etag).matches("W/\"[0-9a-f]{32}\"");
		assertThat(get(script, HttpHeaders.IF_NONE_MATCH, etag).getStatus().value()).isEqualTo(304);
	}

	@Test
	void plainAssetNamesAreRevalidated() {
		EntityExchangeResult<String> asset = get("/assets/console.css");
		assertThat(asset.getStatus().value()).isEqualTo(200);
		assertThat(asset.getResponseHeaders().getCacheControl()).isEqualTo("no-cache");
		String etag = asset.getResponseHeaders().getETag();
		assertThat(etag).matches("W/\"[0-9a-f]{32}\"");
		assertThat(get("/assets/console.css", HttpHeaders.IF_NONE_MATCH, etag).getStatus().value()).isEqualTo(304);
	}

	@Test
	void hashOfOtherContentIsNotFound() {
		EntityExchangeResult<String> stale = get("/assets/console-0123456789abcdef0123456789abcdef.js");
		assertThat(stale.getStatus().value()).isEqualTo(404);
		assertThat(stale.getResponseHeaders().getContentType()).hasToString("application/problem+json");
		assertThat(get("/static/index.html").getStatus().value()).isEqualTo(404);
		assertThat(get("/actuator/health").getStatus().value()).isEqualTo(404);
	}

	@Test
	void gzipsTextForClientsThatAcceptIt() {
		for (String path : List.of("/", hashedScript(), "/assets/console.css", "/assets/test-pattern.svg")) {
			HttpResponse<byte[]> plain = getBytes(path);
			assertThat(plain.headers().firstValue(HttpHeaders.CONTENT_ENCODING)).as(path).isEmpty();
			assertThat(plain.headers().allValues(HttpHeaders.VARY)).as(path).contains(HttpHeaders.ACCEPT_ENCODING);

			HttpResponse<byte[]> gzipped = getBytes(path, HttpHeaders.ACCEPT_ENCODING, "gzip");
			assertThat(gzipped.headers().firstValue(HttpHeaders.CONTENT_ENCODING)).as(path).hasValue("gzip");
			assertThat(gzipped.headers().allValues(HttpHeaders.VARY)).as(path).contains(HttpHeaders.ACCEPT_ENCODING);
			assertThat(gunzip(gzipped.body())).as(path).isEqualTo(plain.body());
			assertThat(gzipped.body().length).as(path).isLessThan(plain.body().length);
		}
	}

	@Test
	void gzipsApiJsonForClientsThatAcceptIt() {
		// the stand-in service echoes the request's headers: a long one makes the answer
		// worth compressing
		String padding = "x".repeat(2048);
		HttpResponse<byte[]> plain = getBytes("/api/products", "X-Padding", padding);
		assertThat(plain.headers().firstValue(HttpHeaders.CONTENT_ENCODING)).isEmpty();
		HttpResponse<byte[]> gzipped = getBytes("/api/products", "X-Padding", padding, HttpHeaders.ACCEPT_ENCODING,
				"gzip");
		assertThat(gzipped.headers().firstValue(HttpHeaders.CONTENT_ENCODING)).hasValue("gzip");
		assertThat(new String(gunzip(gzipped.body()), StandardCharsets.UTF_8)).contains(padding);
	}

	private String hashedScript() {
		Matcher script = HASHED_SCRIPT.matcher(get("/").getResponseBody());
		assertThat(script.find()).isTrue();
		return script.group(1);
	}

	private EntityExchangeResult<String> get(String path, String... headers) {
		return client().get()
			.uri(path)
			.headers((request) -> addAll(request, headers))
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	/**
	 * A raw GET with the JDK's client, which neither asks for nor undoes compression by
	 * itself (Reactor Netty's may do both).
	 */
	private HttpResponse<byte[]> getBytes(String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		try {
			HttpResponse<byte[]> response = this.raw.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			return response;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void addAll(HttpHeaders request, String... headers) {
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.add(headers[i], headers[i + 1]);
		}
	}

	private static byte[] gunzip(byte[] gzipped) {
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
