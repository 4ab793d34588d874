package dev.sysdesign.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Applies {@link UsePlatformInfrastructure}: adds the infrastructure's properties to the
 * test context, below inlined test properties. The annotation's attributes are part of
 * the context cache key.
 */
class PlatformInfrastructureContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		UsePlatformInfrastructure annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				UsePlatformInfrastructure.class);
		return (annotation != null)
				? new Customizer(annotation.schema(), Set.of(annotation.proxied()), annotation.scheduledJobs()) : null;
	}

	private record Customizer(String schema, Set<PlatformInfrastructure.Component> proxied,
			boolean scheduledJobs) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			Map<String, Object> properties = new LinkedHashMap<>(
					PlatformInfrastructure.get().springProperties(this.schema, this.proxied));
			properties.put("platform.scheduler.enabled", this.scheduledJobs);
			MapPropertySource source = new MapPropertySource("platformInfrastructure", properties);
			MutablePropertySources sources = context.getEnvironment().getPropertySources();
			if (sources.contains(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME)) {
				sources.addAfter(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, source);
			}
			else {
				sources.addFirst(source);
			}
		}

	}

}
