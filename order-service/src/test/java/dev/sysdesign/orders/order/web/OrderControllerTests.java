package dev.sysdesign.orders.order.web;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import dev.sysdesign.contracts.Headers;
import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.orders.catalog.InsufficientStockException;
import dev.sysdesign.orders.catalog.UnknownProductException;
import dev.sysdesign.orders.idempotency.IdempotencyKeyInFlightException;
import dev.sysdesign.orders.idempotency.IdempotencyKeyReusedException;
import dev.sysdesign.orders.order.Order;
import dev.sysdesign.orders.order.OrderId;
import dev.sysdesign.orders.order.OrderLine;
import dev.sysdesign.orders.order.OrderQueries;
import dev.sysdesign.orders.order.OrderService;
import dev.sysdesign.orders.order.OrderStateException;
import dev.sysdesign.orders.order.OrderStatus;
import dev.sysdesign.support.ServiceSupportAutoConfiguration;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The orders API's web mapping, alone: each error of the features becomes its problem
 * (status, {@code application/problem+json}, stable {@code type}) through the platform's
 * generic handler, and the caller comes from the gateway's identity headers. The service
 * behind the controller is a mock here; the integration tests run the real one.
 */
@WebMvcTest(OrderController.class)
@ImportAutoConfiguration(ServiceSupportAutoConfiguration.class)
class OrderControllerTests {

	private static final String BODY = "{\"items\":[{\"sku\":\"KB-001\",\"quantity\":2}]}";

	@Autowired
	private MockMvc mvc;

	@MockitoBean
	private OrderService orders;

	@MockitoBean
	private OrderQueries queries;

	@Test
	void placedOrderIsAcceptedWithItsLocation() throws Exception {
		Order order = Order.place(OrderId.next(), 7, List.of(new OrderLine("KB-001", 2, 8900)), Instant.now());
		given(this.orders.place(eq(7L), any(), eq("k-1"))).willReturn(order);
		this.mvc.perform(asUser(post("/api/orders")).header(Headers.IDEMPOTENCY_KEY, "k-1").content(BODY))
			.andExpect(status().isAccepted())
			.andExpect(header().string("Location", "/api/orders/" + order.id()))
			.andExpect(jsonPath("$.status").value("PENDING"))
			.andExpect(jsonPath("$.totalCents").value(17800));
	}

	@Test
	void insufficientStockIsAConflictNamingTheProduct() throws Exception {
		given(this.orders.place(anyLong(), any(), any())).willThrow(new InsufficientStockException("KB-001"));
		problem(asUser(post("/api/orders")).content(BODY), 409, ProblemTypes.INSUFFICIENT_STOCK.toString())
			.andExpect(jsonPath("$.sku").value("KB-001"));
	}

	@Test
	void unknownProductIsUnprocessableListingTheSkus() throws Exception {
		given(this.orders.place(anyLong(), any(), any())).willThrow(new UnknownProductException(List.of("NOPE-1")));
		problem(asUser(post("/api/orders")).content(BODY), 422, ProblemTypes.UNKNOWN_PRODUCT.toString())
			.andExpect(jsonPath("$.skus[0]").value("NOPE-1"));
	}

	@Test
	void reusedKeyIsUnprocessableAndKeyInFlightAConflictToRetry() throws Exception {
		given(this.orders.place(anyLong(), any(), eq("reused"))).willThrow(new IdempotencyKeyReusedException());
		given(this.orders.place(anyLong(), any(), eq("running"))).willThrow(new IdempotencyKeyInFlightException());
		problem(asUser(post("/api/orders")).header(Headers.IDEMPOTENCY_KEY, "reused").content(BODY), 422,
				ProblemTypes.IDEMPOTENCY_KEY_REUSED.toString());
		problem(asUser(post("/api/orders")).header(Headers.IDEMPOTENCY_KEY, "running").content(BODY), 409,
				ProblemTypes.IDEMPOTENCY_KEY_IN_FLIGHT.toString())
			.andExpect(header().string("Retry-After", "1"));
	}

	@Test
	void overlongIdempotencyKeyIsAValidationErrorNamingTheHeader() throws Exception {
		problem(asUser(post("/api/orders")).header(Headers.IDEMPOTENCY_KEY, "k".repeat(256)).content(BODY), 400,
				ProblemTypes.VALIDATION.toString())
			.andExpect(jsonPath("$.errors[0].field").value(Headers.IDEMPOTENCY_KEY));
		verifyNoInteractions(this.orders);
	}

	@Test
	void invalidBodyIsAValidationErrorPerField() throws Exception {
		problem(asUser(post("/api/orders")).content("{\"items\":[{\"sku\":\"KB-001\",\"quantity\":0}]}"), 400,
				ProblemTypes.VALIDATION.toString())
			.andExpect(jsonPath("$.errors[0].field").value("items[0].quantity"));
		verifyNoInteractions(this.orders);
	}

	@Test
	void someoneElsesOrderIsNotFoundAndAFinishedOneCannotBeCancelled() throws Exception {
		UUID id = UUID.randomUUID();
		given(this.queries.find(7L, new OrderId(id))).willReturn(Optional.empty());
		problem(asUser(get("/api/orders/" + id)), 404, ProblemTypes.NOT_FOUND.toString());
		given(this.orders.cancel(7L, new OrderId(id)))
			.willThrow(new OrderStateException(new OrderId(id), OrderStatus.CONFIRMED, OrderStatus.CANCELLED));
		problem(asUser(post("/api/orders/" + id + "/cancel")), 409, ProblemTypes.ORDER_STATE.toString())
			.andExpect(jsonPath("$.orderStatus").value("CONFIRMED"));
	}

	@Test
	void requestWithoutTheGatewaysIdentityIsUnauthenticated() throws Exception {
		problem(post("/api/orders").contentType(MediaType.APPLICATION_JSON).content(BODY), 401,
				ProblemTypes.UNAUTHENTICATED.toString());
		verifyNoInteractions(this.orders);
	}

	private org.springframework.test.web.servlet.ResultActions problem(MockHttpServletRequestBuilder request,
			int status, String type) throws Exception {
		return this.mvc.perform(request)
			.andExpect(status().is(status))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(type))
			.andExpect(jsonPath("$.status").value(status));
	}

	private static MockHttpServletRequestBuilder asUser(MockHttpServletRequestBuilder request) {
		return request.header(Headers.USER_ID, "7")
			.header(Headers.USER_ROLES, "USER")
			.contentType(MediaType.APPLICATION_JSON);
	}

}
