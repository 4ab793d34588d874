package dev.sysdesign.redis.session;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionFormatTests {

	private final SessionJsonRedisSerializer serializer = new SessionJsonRedisSerializer();

	@Test
	void valuesArePlainJsonThatReadBackWithSpringSessionsTypes() {
		assertThat(new String(this.serializer.serialize("USER,ADMIN"))).isEqualTo("\"USER,ADMIN\"");
		assertThat(new String(this.serializer.serialize(1798000000000L))).isEqualTo("1798000000000");
		assertThat(this.serializer.deserialize(this.serializer.serialize(1798000000000L))).isEqualTo(1798000000000L);
		assertThat(this.serializer.deserialize(this.serializer.serialize(1800))).isEqualTo(1800);
		assertThat(this.serializer.deserialize(this.serializer.serialize("42"))).isEqualTo("42");
		assertThat(this.serializer.serialize(null)).isNull();
		assertThat(this.serializer.deserialize(null)).isNull();
	}

	@Test
	void rolesSplitOnCommas() {
		assertThat(SessionFormat.roles("USER, ADMIN")).containsExactly("USER", "ADMIN");
		assertThat(SessionFormat.roles("")).isEmpty();
		assertThat(SessionFormat.roles(null)).isEmpty();
	}

	@Test
	void sessionEndsAtTheEarlierOfIdleAndAbsoluteExpiry() {
		SessionLifetime lifetime = new SessionLifetime(Duration.ofHours(12));
		Instant created = Instant.parse("2026-11-26T00:00:00Z");
		assertThat(lifetime.expiresAt(created, created.plusSeconds(60), Duration.ofMinutes(30)))
			.isEqualTo(created.plusSeconds(60).plus(Duration.ofMinutes(30)));
		assertThat(
				lifetime.expiresAt(created, created.plus(Duration.ofHours(11).plusMinutes(50)), Duration.ofMinutes(30)))
			.isEqualTo(created.plus(Duration.ofHours(12)));
		assertThat(lifetime.pastAbsoluteLifetime(created, created.plus(Duration.ofHours(12)))).isTrue();
		assertThat(lifetime.pastAbsoluteLifetime(created, created.plus(Duration.ofHours(11)))).isFalse();
	}

	@Test
	void sessionReferenceIsAStableOpaqueDigestOfTheId() {
		String id = "6b5f1c9e-3f0a-4c1e-9d61-0d7c2f0a9b11";
		String reference = SessionReference.of(id);
		// SHA-256 of the id, Base64url without padding
		assertThat(reference).isEqualTo("STR9Q1I8rkJPBBjLRgL24xBJfm29TMq_vEPE3GJF4u0")
			.hasSize(43)
			.matches("[A-Za-z0-9_-]+")
			.doesNotContain("6b5f1c9e");
		assertThat(SessionReference.of(id)).isEqualTo(reference);
		assertThat(SessionReference.of(id + "x")).isNotEqualTo(reference);
	}

}
