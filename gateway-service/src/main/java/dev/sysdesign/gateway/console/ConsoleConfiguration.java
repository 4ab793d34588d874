package dev.sysdesign.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.util.DigestUtils;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.resource.ResourceUrlProvider;
import org.springframework.web.reactive.resource.VersionResourceResolver;

/**
 * The gateway as web server and CDN origin of the console
 * ({@code src/main/resources/static}):
 * <ul>
 * <li>{@code /assets/<name>-<md5 of the content>.<ext>}: content-hashed names, so a name
 * never changes its bytes: {@code Cache-Control: public, max-age=365d, immutable};</li>
 * <li>{@code /assets/<name>.<ext>} (the same files under their plain names, for anything
 * that does not know the hash): {@code Cache-Control: no-cache}, revalidated with the
 * ETag;</li>
 * <li>{@code /} and {@code /index.html}: the page, with its links rewritten to the hashed
 * names and an import map for the ES modules ({@link ConsolePage}), {@code no-cache} and
 * an ETag.</li>
 * </ul>
 * Every answer has an ETag of its content (a matching {@code If-None-Match} gets 304);
 * {@code Last-Modified} is left out, as the jar's entries all carry the same fixed time.
 * Compression is the server's ({@code server.compression}). Spring Boot's default static
 * mapping ({@code /**}) is off ({@code spring.web.resources.add-mappings=false}): nothing
 * else under {@code static/} is served.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration implements WebFluxConfigurer {

	static final String ASSETS = "classpath:/static/assets/";

	/** A hashed name: what {@link VersionResourceResolver}'s content strategy makes. */
	static final String HASHED_ASSET = "/assets/{file:[\\w.-]+-[0-9a-f]+\\.\\w+}";

	private final Function<Resource, String> etags = new ContentEtags();

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		registry.addResourceHandler(HASHED_ASSET)
			.addResourceLocations(ASSETS)
			.setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable())
			.setUseLastModified(false)
			.setEtagGenerator(this.etags)
			.resourceChain(true)
			.addResolver(contentVersions());
		// the resolver is here as well: it is what turns a plain name into the hashed one
		registry.addResourceHandler("/assets/**")
			.addResourceLocations(ASSETS)
			.setCacheControl(CacheControl.noCache())
			.setUseLastModified(false)
			.setEtagGenerator(this.etags)
			.resourceChain(true)
			.addResolver(contentVersions());
	}

	private static VersionResourceResolver contentVersions() {
		return new VersionResourceResolver().addContentVersionStrategy("/**");
	}

	@Bean
	ConsolePage consolePage(ResourceUrlProvider urls) {
		return new ConsolePage(urls);
	}

	@Bean
	RouterFunction<ServerResponse> consoleRoutes(ConsolePage page) {
		return RouterFunctions.route().GET("/", page::render).GET("/index.html", page::render).build();
	}

	/**
	 * Weak ETags ({@code W/"<md5>"}) of a resource's content, computed once per resource
	 * and modification time. Weak because the server may send the same content gzipped.
	 */
	static final class ContentEtags implements Function<Resource, String> {

		private final Map<String, String> known = new ConcurrentHashMap<>();

		@Override
		public String apply(Resource resource) {
			try {
				String key = resource.getURL() + "@" + resource.lastModified();
				return this.known.computeIfAbsent(key, (ignored) -> weakEtag(resource));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		private static String weakEtag(Resource resource) {
			try (InputStream content = resource.getInputStream()) {
				return "W/\"" + DigestUtils.md5DigestAsHex(content) + "\"";
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
