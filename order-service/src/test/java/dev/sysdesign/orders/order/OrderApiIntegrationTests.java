package dev.sysdesign.orders.order;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.sysdesign.orders.OrderServiceIntegrationTest;
import dev.sysdesign.orders.TestData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The orders API as the architecture states it: statuses, money in cents, paging,
 * ownership, and a documented problem for every bad input — never a 5xx.
 */
@OrderServiceIntegrationTest
class OrderApiIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	RestTestClient client;

	long user;

	String sku;

	@BeforeEach
	void setUp() {
		this.client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		this.user = TestData.newUser();
		this.sku = TestData.newProduct(this.jdbc, 100, 1250);
	}

	@Test
	void placesOrderWithCatalogPricesAndReservesStock() {
		String location = this.client.post()
			.uri("/api/orders")
			.headers(this::asUser)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"items\":[{\"sku\":\"" + this.sku + "\",\"quantity\":3,\"unitPriceCents\":1}]}")
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("PENDING")
			.jsonPath("$.items[0].unitPriceCents")
			.isEqualTo(1250)
			.jsonPath("$.totalCents")
			.isEqualTo(3750)
			.jsonPath("$.failureReason")
			.doesNotExist()
			.jsonPath("$.createdAt")
			.value(String.class,
					(time) -> assertThat(time).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z"))
			.returnResult()
			.getResponseHeaders()
			.getLocation()
			.toString();
		assertThat(location).matches("/api/orders/[0-9a-f-]{36}");
		assertThat(TestData.stock(this.jdbc, this.sku)).isEqualTo(97);

		this.client.get()
			.uri(location)
			.headers(this::asUser)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(location.substring(location.lastIndexOf('/') + 1))
			.jsonPath("$.items.length()")
			.isEqualTo(1);
	}

	@Test
	void listsOnlyTheCallersOrdersNewestFirstWithPaging() {
		String first = place(1);
		String second = place(2);
		String third = place(3);
		place(TestData.newUser(), 1);
		this.client.get()
			.uri("/api/orders?size=2&page=0")
			.headers(this::asUser)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.content[*].id")
			.isEqualTo(List.of(third, second))
			.jsonPath("$.page")
			.isEqualTo(0)
			.jsonPath("$.size")
			.isEqualTo(2)
			.jsonPath("$.totalElements")
			.isEqualTo(3)
			.jsonPath("$.totalPages")
			.isEqualTo(2);
		this.client.get()
			.uri("/api/orders?size=2&page=1&status=PENDING")
			.headers(this::asUser)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.content[*].id")
			.isEqualTo(List.of(first));
		this.client.get()
			.uri("/api/orders?status=CONFIRMED")
			.headers(this::asUser)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.content.length()")
			.isEqualTo(0)
			.jsonPath("$.totalElements")
			.isEqualTo(0);
	}

	@Test
	void cancelReleasesStockOnceAndThenConflicts() {
		String id = place(5);
		assertThat(TestData.stock(this.jdbc, this.sku)).isEqualTo(95);
		this.client.post()
			.uri("/api/orders/" + id + "/cancel")
			.headers(this::asUser)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("CANCELLED");
		assertThat(TestData.stock(this.jdbc, this.sku)).isEqualTo(100);
		this.client.post()
			.uri("/api/orders/" + id + "/cancel")
			.headers(this::asUser)
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/order-state");
		assertThat(TestData.stock(this.jdbc, this.sku)).isEqualTo(100);
	}

	@Test
	void anotherUsersOrderIsNotFoundForReadAndCancel() {
		String id = place(1);
		long other = TestData.newUser();
		this.client.get()
			.uri("/api/orders/" + id)
			.header("X-User-Id", Long.toString(other))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.client.post()
			.uri("/api/orders/" + id + "/cancel")
			.header("X-User-Id", Long.toString(other))
			.exchange()
			.expectStatus()
			.isNotFound();
		this.client.get()
			.uri("/api/orders/" + id)
			.headers(this::asUser)
			.exchange()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("PENDING");
	}

	@Test
	void protectedCallsWithoutIdentityAre401() {
		this.client.get().uri("/api/orders").exchange().expectStatus().isUnauthorized();
		this.client.post()
			.uri("/api/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.body(TestData.orderOf(this.sku, 1))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.client.get()
			.uri("/api/orders")
			.header("X-User-Id", "not-a-number")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.client.get().uri("/api/products").exchange().expectStatus().isOk();
	}

	@Test
	void restockNeedsAdminAndAnswersTheProduct() {
		this.client.post()
			.uri("/api/admin/products/" + this.sku + "/restock")
			.headers(this::asUser)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"quantity\":5}")
			.exchange()
			.expectStatus()
			.isForbidden();
		this.client.post()
			.uri("/api/admin/products/" + this.sku + "/restock")
			.header("X-User-Id", Long.toString(this.user))
			.header("X-User-Roles", "USER,ADMIN")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"quantity\":5}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.stock")
			.isEqualTo(105);
		this.client.post()
			.uri("/api/admin/products/NO-SUCH-SKU/restock")
			.header("X-User-Id", Long.toString(this.user))
			.header("X-User-Roles", "ADMIN")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"quantity\":5}")
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	@Test
	void seededCatalogHasAtLeastTwentyProductsSomeWithSmallStock() {
		this.client.get()
			.uri("/api/products")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[?(@.sku == 'KB-001')].unitPriceCents")
			.isEqualTo(List.of(8900))
			.jsonPath("$.length()")
			.value(Integer.class, (count) -> assertThat(count).isGreaterThanOrEqualTo(20))
			.jsonPath("$[?(@.sku == 'SG-023')].name")
			.isEqualTo(List.of("Signed programming book"));
	}

	static List<Arguments> badOrders() {
		String items101 = "{\"items\":[" + String.join(",",
				java.util.stream.IntStream.range(0, 101)
					.mapToObj((i) -> "{\"sku\":\"S" + i + "\",\"quantity\":1}")
					.toList())
				+ "]}";
		return List.of(Arguments.of("malformed JSON", "{\"items\": [", 400, "malformed-request"),
				Arguments.of("wrong type", "{\"items\":[{\"sku\":\"X\",\"quantity\":\"two\"}]}", 400, "validation"),
				Arguments.of("fractional quantity", "{\"items\":[{\"sku\":\"X\",\"quantity\":1.5}]}", 400,
						"validation"),
				Arguments.of("items not a list", "{\"items\":\"KB-001\"}", 400, "validation"),
				Arguments.of("missing items", "{}", 400, "validation"),
				Arguments.of("missing quantity", "{\"items\":[{\"sku\":\"KB-001\"}]}", 400, "validation"),
				Arguments.of("missing sku", "{\"items\":[{\"quantity\":1}]}", 400, "validation"),
				Arguments.of("empty items", "{\"items\":[]}", 400, "validation"),
				Arguments.of("quantity 0", "{\"items\":[{\"sku\":\"KB-001\",\"quantity\":0}]}", 400, "validation"),
				Arguments
					.of("quantity 1001", "{\"items\":[{\"sku\":\"KB-001\",\"quantity\":1001}]}", 400, "validation"),
				Arguments.of("101 items", items101, 400, "validation"),
				Arguments.of("sku twice",
						"{\"items\":[{\"sku\":\"KB-001\",\"quantity\":1},{\"sku\":\"KB-001\",\"quantity\":2}]}", 400,
						"validation"),
				Arguments.of("unknown sku", "{\"items\":[{\"sku\":\"NO-SUCH-SKU\",\"quantity\":1}]}", 422,
						"unknown-product"),
				Arguments.of("null body", "null", 400, "malformed-request"),
				Arguments.of("empty body", "", 400, "malformed-request"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badOrders")
	void rejectsBadOrderWithDocumentedProblem(String name, String body, int status, String type) {
		this.client.post()
			.uri("/api/orders")
			.headers(this::asUser)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/" + type)
			.jsonPath("$.status")
			.isEqualTo(status)
			.jsonPath("$.title")
			.exists()
			.jsonPath("$.detail")
			.exists();
	}

	@Test
	void validationProblemsNameTheField() {
		this.client.post()
			.uri("/api/orders")
			.headers(this::asUser)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"items\":[{\"sku\":\"A\",\"quantity\":1},{\"sku\":\"B\",\"quantity\":1001}]}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("items[1].quantity")
			.jsonPath("$.errors[0].message")
			.exists();
	}

	@Test
	void insufficientStockIs409AndLeavesStockUntouched() {
		String scarce = TestData.newProduct(this.jdbc, 2, 100);
		this.client.post()
			.uri("/api/orders")
			.headers(this::asUser)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"items\":[{\"sku\":\"" + this.sku + "\",\"quantity\":1},{\"sku\":\"" + scarce
					+ "\",\"quantity\":3}]}")
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/insufficient-stock")
			.jsonPath("$.sku")
			.isEqualTo(scarce);
		assertThat(TestData.stock(this.jdbc, this.sku)).isEqualTo(100);
		assertThat(TestData.stock(this.jdbc, scarce)).isEqualTo(2);
	}

	static List<Arguments> badQueries() {
		return List.of(Arguments.of("/api/orders/not-a-uuid", "id"), Arguments.of("/api/orders?page=-1", "page"),
				Arguments.of("/api/orders?page=abc", "page"), Arguments.of("/api/orders?size=0", "size"),
				Arguments.of("/api/orders?size=101", "size"), Arguments.of("/api/orders?status=SHIPPED", "status"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badQueries")
	void rejectsBadQueryNamingTheParameter(String uri, String field) {
		this.client.get()
			.uri(uri)
			.headers(this::asUser)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo(field);
	}

	@Test
	void rejectsBadIdempotencyKeyAndUnsupportedContent() {
		this.client.post()
			.uri("/api/orders")
			.headers(this::asUser)
			.header("Idempotency-Key", "k".repeat(256))
			.contentType(MediaType.APPLICATION_JSON)
			.body(TestData.orderOf(this.sku, 1))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("Idempotency-Key");
		this.client.post()
			.uri("/api/orders")
			.headers(this::asUser)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body("items=KB-001")
			.exchange()
			.expectStatus()
			.isEqualTo(415)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(TestData.stock(this.jdbc, this.sku)).isEqualTo(100);
	}

	private String place(int quantity) {
		return place(this.user, quantity);
	}

	private String place(long user, int quantity) {
		return TestData.placeOrder(this.client, user, this.sku, quantity);
	}

	private void asUser(HttpHeaders headers) {
		headers.set("X-User-Id", Long.toString(this.user));
	}

}
