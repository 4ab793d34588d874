package dev.sysdesign.gateway.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.DigestUtils;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.resource.ResourceUrlProvider;
import org.springframework.web.server.ServerWebExchange;

import dev.sysdesign.gateway.edge.SecurityHeaders;

/**
 * The console's page, {@code static/index.html}, as served on {@code /}: every
 * {@code src}/{@code href} under {@code /assets/} points to the content-hashed name, and
 * the empty {@code <script type="importmap"></script>} is filled with the hashed name of
 * every ES module under {@code /assets/} — modules import each other by plain relative
 * names ({@code ./util.js}), which the browser maps through it. So a module's hash covers
 * its own bytes only, and a changed module changes this page and nothing else: the page
 * is never cached without revalidation ({@code no-cache} plus ETag), the modules are
 * cached for good.
 * <p>
 * Built once, on the first request (the files are in the jar and do not change).
 */
class ConsolePage {

	private static final Pattern ASSET_LINK = Pattern.compile("(src|href)=\"(/assets/[^\"]+)\"");

	private static final String IMPORT_MAP = "<script type=\"importmap\"></script>";

	private final ResourceUrlProvider urls;

	private volatile Mono<Rendered> rendered;

	ConsolePage(ResourceUrlProvider urls) {
		this.urls = urls;
	}

	/**
	 * The page, or 304 when the client's copy is current. Both carry the page's
	 * Content-Security-Policy: a browser updates a cached page's headers from a 304, so a
	 * 304 with another policy would replace the page's.
	 */
	Mono<ServerResponse> render(ServerRequest request) {
		return rendered(request.exchange()).flatMap((page) -> {
			if (matches(request.headers().header(HttpHeaders.IF_NONE_MATCH), page.etag())) {
				return ServerResponse.status(HttpStatus.NOT_MODIFIED)
					.cacheControl(CacheControl.noCache())
					.eTag(page.etag())
					.header(SecurityHeaders.CONTENT_SECURITY_POLICY, page.contentSecurityPolicy())
					.build();
			}
			return ServerResponse.ok()
				.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
				.cacheControl(CacheControl.noCache())
				.eTag(page.etag())
				.header(SecurityHeaders.CONTENT_SECURITY_POLICY, page.contentSecurityPolicy())
				.bodyValue(page.html());
		});
	}

	private static boolean matches(List<String> ifNoneMatch, String etag) {
		return ifNoneMatch.stream()
			.flatMap((value) -> Arrays.stream(value.split(",")))
			.map(String::trim)
			.anyMatch((candidate) -> candidate.equals(etag) || candidate.equals("*"));
	}

	private Mono<Rendered> rendered(ServerWebExchange exchange) {
		Mono<Rendered> page = this.rendered;
		if (page == null) {
			// kept once built; a failed build is tried again on the next request
			page = Mono.defer(() -> build(exchange))
				.cache((built) -> Duration.ofMillis(Long.MAX_VALUE), (ex) -> Duration.ZERO, () -> Duration.ZERO);
			this.rendered = page;
		}
		return page;
	}

	private Mono<Rendered> build(ServerWebExchange exchange) {
		String template = read("classpath:/static/index.html");
		if (!template.contains(IMPORT_MAP)) {
			throw new IllegalStateException("static/index.html has no " + IMPORT_MAP + " to fill");
		}
		Mono<Map<String, String>> links = Flux.fromIterable(linkedAssets(template))
			.concatMap((path) -> hashed(path, exchange).map((url) -> Map.entry(path, url)))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue, LinkedHashMap::new);
		Mono<Map<String, String>> modules = Flux.fromIterable(modules())
			.concatMap((path) -> hashed(path, exchange).map((url) -> Map.entry(path, url)))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue, LinkedHashMap::new);
		return Mono.zip(links, modules).map((both) -> {
			Matcher matcher = ASSET_LINK.matcher(template);
			String html = matcher.replaceAll((match) -> Matcher.quoteReplacement(
					match.group(1) + "=\"" + both.getT1().getOrDefault(match.group(2), match.group(2)) + "\""));
			String importMap = importMap(both.getT2());
			html = html.replace(IMPORT_MAP, "<script type=\"importmap\">" + importMap + "</script>");
			byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
			return new Rendered(html, "W/\"" + DigestUtils.md5DigestAsHex(bytes) + "\"",
					SecurityHeaders.consolePolicy(importMap));
		});
	}

	private Mono<String> hashed(String path, ServerWebExchange exchange) {
		return this.urls.getForUriString(path, exchange)
			.switchIfEmpty(Mono.error(() -> new IllegalStateException(path + " is linked but not in static/assets")));
	}

	private static List<String> linkedAssets(String html) {
		return ASSET_LINK.matcher(html).results().map((match) -> match.group(2)).distinct().toList();
	}

	private static List<String> modules() {
		try {
			Resource[] scripts = new PathMatchingResourcePatternResolver()
				.getResources("classpath*:/static/assets/*.js");
			return Arrays.stream(scripts)
				.map(Resource::getFilename)
				.filter(Objects::nonNull)
				.sorted()
				.map((name) -> "/assets/" + name)
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String importMap(Map<String, String> modules) {
		StringBuilder json = new StringBuilder("{\"imports\":{");
		String separator = "";
		for (Map.Entry<String, String> module : modules.entrySet()) {
			json.append(separator)
				.append('"')
				.append(module.getKey())
				.append("\":\"")
				.append(module.getValue())
				.append('"');
			separator = ",";
		}
		return json.append("}}").toString();
	}

	private static String read(String location) {
		try {
			return new PathMatchingResourcePatternResolver().getResource(location)
				.getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private record Rendered(String html, String etag, String contentSecurityPolicy) {
	}

}
