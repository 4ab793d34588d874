package dev.sysdesign.gateway.balancer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The properties the platform relies on, over 10,000 user ids: stable owners, and growing
 * from 4 to 5 instances moves a fifth of the users, all to the new instance, about a
 * twentieth from each of the four (not a chain where each shifts its neighbour's share).
 */
class RendezvousHashingTests {

	static final int USERS = 10_000;

	static RendezvousHashing instances(int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			ids.add("127.0.0.1:" + (8081 + 100 * (i - 1)));
		}
		double[] weights = new double[count];
		Arrays.fill(weights, 1);
		return new RendezvousHashing(ids, weights);
	}

	static int[] owners(RendezvousHashing hashing) {
		int[] owners = new int[USERS];
		for (int user = 0; user < USERS; user++) {
			owners[user] = hashing.choose(RendezvousHashing.hash(Integer.toString(user + 1)));
		}
		return owners;
	}

	@Test
	void sameUserAlwaysSameInstance() {
		RendezvousHashing hashing = instances(4);
		assertThat(owners(hashing)).isEqualTo(owners(instances(4)));
	}

	@Test
	void addingAFifthInstanceMovesAFifthEvenlyFromAllFour() {
		int[] before = owners(instances(4));
		int[] after = owners(instances(5));
		int moved = 0;
		int[] givenAway = new int[4];
		for (int user = 0; user < USERS; user++) {
			if (before[user] != after[user]) {
				moved++;
				assertThat(after[user]).as("moved users go to the new instance").isEqualTo(4);
				givenAway[before[user]]++;
			}
		}
		assertThat(moved).isBetween((int) (0.95 * USERS / 5), (int) (1.05 * USERS / 5));
		for (int instance = 0; instance < 4; instance++) {
			assertThat(givenAway[instance]).as("share of all users given by instance " + instance)
				.isBetween((int) (0.04 * USERS), (int) (0.06 * USERS));
		}
	}

	@Test
	void removingAnInstanceMovesOnlyItsUsers() {
		List<String> five = List.of("a:1", "b:1", "c:1", "d:1", "e:1");
		List<String> withoutC = List.of("a:1", "b:1", "d:1", "e:1");
		RendezvousHashing all = new RendezvousHashing(five, new double[] { 1, 1, 1, 1, 1 });
		RendezvousHashing fewer = new RendezvousHashing(withoutC, new double[] { 1, 1, 1, 1 });
		for (int user = 1; user <= USERS; user++) {
			long key = RendezvousHashing.hash(Integer.toString(user));
			String before = five.get(all.choose(key));
			String after = withoutC.get(fewer.choose(key));
			if (!before.equals("c:1")) {
				assertThat(after).isEqualTo(before);
			}
		}
	}

	@Test
	void excludingTheOwnerGivesTheNextRankedInstanceConsistently() {
		RendezvousHashing hashing = instances(5);
		for (int user = 1; user <= 1000; user++) {
			long key = RendezvousHashing.hash(Integer.toString(user));
			int owner = hashing.choose(key);
			int next = hashing.choose(key, 1L << owner);
			assertThat(next).isNotEqualTo(owner).isEqualTo(hashing.choose(key, 1L << owner));
			assertThat(hashing.choose(key, (1L << 5) - 1)).isEqualTo(-1);
		}
	}

	@Test
	void weightsGiveProportionalShares() {
		RendezvousHashing hashing = new RendezvousHashing(List.of("a", "b", "c"), new double[] { 1, 2, 1 });
		Map<Integer, Integer> counts = new HashMap<>();
		for (int user = 1; user <= 40_000; user++) {
			counts.merge(hashing.choose(RendezvousHashing.hash(Integer.toString(user))), 1, Integer::sum);
		}
		assertThat(counts.get(1)).isBetween(19_000, 21_000);
		assertThat(counts.get(0)).isBetween(9_500, 10_500);
	}

	@Test
	void hashesNumbersAndTextAlike() {
		assertThat(RendezvousHashing.hash("42")).isEqualTo(RendezvousHashing.mix(42));
		assertThat(RendezvousHashing.hash("alice")).isNotEqualTo(RendezvousHashing.hash("alicf"));
		assertThat(RendezvousHashing.hash("12345678901234567890")).isNotZero();
		assertThat(RendezvousHashing.hash("")).isNotZero();
	}

	@Test
	void withoutInstancesNoKeyHasAnOwner() {
		RendezvousHashing none = new RendezvousHashing(List.of(), new double[0]);
		assertThat(none.size()).isZero();
		assertThat(none.choose(RendezvousHashing.hash("42"))).isEqualTo(-1);
		assertThat(none.choose(RendezvousHashing.hash("42"), 0L)).isEqualTo(-1);
	}

	@Test
	void oneInstanceOwnsEveryKeyUntilExcluded() {
		RendezvousHashing one = new RendezvousHashing(List.of("127.0.0.1:8081"), new double[] { 3 });
		for (int user = 1; user <= 1000; user++) {
			long key = RendezvousHashing.hash(Integer.toString(user));
			assertThat(one.choose(key)).isZero();
			assertThat(one.choose(key, 1L)).isEqualTo(-1);
		}
	}

	@Test
	void ownersDependOnInstanceIdsNotOnTheirOrder() {
		List<String> ids = List.of("a:1", "b:1", "c:1", "d:1");
		List<String> reversed = List.of("d:1", "c:1", "b:1", "a:1");
		RendezvousHashing hashing = new RendezvousHashing(ids, new double[] { 1, 1, 1, 1 });
		RendezvousHashing other = new RendezvousHashing(reversed, new double[] { 1, 1, 1, 1 });
		for (int user = 1; user <= 1000; user++) {
			long key = RendezvousHashing.hash(Integer.toString(user));
			assertThat(reversed.get(other.choose(key))).isEqualTo(ids.get(hashing.choose(key)));
		}
	}

	@Test
	void textKeysAreStableAndSpreadToo() {
		RendezvousHashing hashing = instances(4);
		int[] counts = new int[4];
		for (int user = 1; user <= 4000; user++) {
			String key = "user-" + user;
			int owner = hashing.choose(RendezvousHashing.hash(key));
			assertThat(instances(4).choose(RendezvousHashing.hash(key))).isEqualTo(owner);
			counts[owner]++;
		}
		assertThat(IntStream.of(counts).boxed().toList()).allSatisfy((count) -> assertThat(count).isBetween(850, 1150));
	}

	@Test
	void anEmptyKeyHasAnOwnerLikeAnyOther() {
		RendezvousHashing hashing = instances(4);
		assertThat(hashing.choose(RendezvousHashing.hash(""))).isBetween(0, 3)
			.isEqualTo(hashing.choose(RendezvousHashing.hash("")));
	}

	@Test
	void rejectsMissingOrNonPositiveWeights() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RendezvousHashing(List.of("a:1", "b:1"), new double[] { 1 }));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RendezvousHashing(List.of("a:1", "b:1"), new double[] { 1, 0 }));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RendezvousHashing(List.of("a:1"), new double[] { -2 }));
	}

}
