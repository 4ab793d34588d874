package dev.sysdesign.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import dev.sysdesign.testing.PlatformInfrastructure;
import dev.sysdesign.testing.TcpProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real browser (headless Chromium) against the real topology as
 * processes: register, log in, place an order and see it become {@code CONFIRMED} without
 * reloading — pushed over the WebSocket — then place a second one and cancel it while it
 * is still {@code PENDING}: the worker's connections to the broker are cut (through a TCP
 * proxy) before the second order is placed and restored after the cancellation, so that
 * order is pending by construction, however slow the machine. An administrator sees the
 * instances behind the gateway with the share of users each owns, the daily report and
 * restocks a product. Leaves screenshots in {@code target/console-browser.png} and
 * {@code target/console-admin.png}.
 */
class ConsoleBrowserIntegrationTests {

	/** The worker reaches RabbitMQ through this proxy, which the test cuts. */
	static TcpProxy workerBroker;

	static final Path SCREENSHOT = Path.of("target", "console-browser.png").toAbsolutePath();

	static final Path ADMIN_SCREENSHOT = Path.of("target", "console-admin.png").toAbsolutePath();

	static final String ADMIN = "admin-" + System.nanoTime() % 1_000_000_000;

	static final String ADMIN_PASSWORD = "browser-admin-password";

	static ChromeDriver browser;

	static ServiceProcess sessions;

	static ServiceProcess orders;

	static ServiceProcess worker;

	static ServiceProcess gateway;

	@BeforeAll
	static void startTopologyAndBrowser() throws IOException {
		Path profile = Files.createTempDirectory(ServiceProcess.outputDirectory(), "chromium-profile-");
		browser = HeadlessChromium.start(profile, ServiceProcess.outputDirectory().resolve("chromedriver.log"));
		int sessionPort = ServiceProcess.freePort();
		int orderPort = ServiceProcess.freePort();
		int workerPort = ServiceProcess.freePort();
		sessions = ServiceProcess.start("session-service", "browser-session", sessionPort,
				ServiceProcess.env("ADMIN_USERNAME", ADMIN, "ADMIN_PASSWORD", ADMIN_PASSWORD),
				ServiceProcess.infrastructureArguments("accounts"));
		orders = ServiceProcess.start("order-service", "browser-order", orderPort, ServiceProcess.env(),
				ServiceProcess.infrastructureArguments("orders"));
		PlatformInfrastructure.Endpoint rabbit = PlatformInfrastructure.get().rabbit();
		workerBroker = TcpProxy.start(rabbit.host(), rabbit.port());
		List<String> workerArguments = new ArrayList<>(ServiceProcess.infrastructureArguments("worker")
			.stream()
			.filter((argument) -> !argument.startsWith("--spring.rabbitmq.host=")
					&& !argument.startsWith("--spring.rabbitmq.port="))
			.toList());
		workerArguments.add("--spring.rabbitmq.host=" + workerBroker.host());
		workerArguments.add("--spring.rabbitmq.port=" + workerBroker.port());
		worker = ServiceProcess.start("worker-service", "browser-worker", workerPort, ServiceProcess.env(),
				workerArguments);
		gateway = ServiceProcess.start("gateway-service", "browser-gateway", ServiceProcess.freePort(),
				ServiceProcess.env("SESSION_SERVICE_URLS", sessions.baseUrl(), "ORDER_SERVICE_URLS", orders.baseUrl(),
						"WORKER_SERVICE_URLS", worker.baseUrl(), "DISCOVERY_REFRESH_INTERVAL", "500ms"),
				ServiceProcess.infrastructureArguments(""));
		Stream.of(sessions, orders, worker, gateway).forEach((process) -> process.awaitReady(Duration.ofMinutes(4)));
		gateway.awaitRoutesTo("session-service", "order-service", "worker-service");
	}

	@AfterAll
	static void stopBrowserAndTopology() {
		if (browser != null) {
			browser.quit();
		}
		Stream.of(gateway, sessions, orders, worker).filter((p) -> p != null).forEach(ServiceProcess::close);
		if (workerBroker != null) {
			workerBroker.close();
		}
	}

	@Test
	void registersLogsInSeesAnOrderConfirmedLiveAndCancelsAPendingOne() {
		try {
			openLoggedOut();
			String username = "browser-" + System.nanoTime() % 1_000_000_000;
			String password = "correct horse battery";

			type(By.id("register-username"), username);
			type(By.id("register-password"), password);
			click(By.id("register-submit"));
			await("the account is created", () -> text(By.id("register-status")).contains(username));

			logIn(username, password);
			await("the live connection is open", () -> "live".equals(attribute(By.id("live-indicator"), "data-state")));

			String confirmed = placeOrder("MS-002", Set.of());
			browser.executeScript("window.notReloaded = true");
			long orderReads = orderReads();
			awaitStatus(confirmed, "CONFIRMED", Duration.ofSeconds(60));
			assertThat(browser.executeScript("return window.notReloaded === true")).as("no reload").isEqualTo(true);
			assertThat(orderReads()).as("the new status was pushed, not read again over REST").isEqualTo(orderReads);

			workerBroker.disable();
			String cancelled;
			try {
				cancelled = placeOrder("CB-005", Set.of(confirmed));
				assertThat(attribute(order(cancelled), "data-status")).isEqualTo("PENDING");
				click(By.cssSelector("[data-order-id='" + cancelled + "'] [data-testid=cancel-order]"));
				awaitStatus(cancelled, "CANCELLED", Duration.ofSeconds(30));
			}
			finally {
				workerBroker.enable();
			}
			assertThat(notices("success")).anyMatch((notice) -> notice.contains("cancelled"));
			assertThat(notices("error")).isEmpty();
			assertThat(attribute(order(confirmed), "data-status")).isEqualTo("CONFIRMED");
			assertThat(HeadlessChromium.policyViolations(browser)).as("the console within its Content-Security-Policy")
				.isEmpty();
		}
		finally {
			HeadlessChromium.screenshot(browser, SCREENSHOT);
		}
	}

	@Test
	void adminSeesTheInstancesWithTheirShareOfUsersAndRestocks() {
		try {
			openLoggedOut();
			logIn(ADMIN, ADMIN_PASSWORD);
			assertThat(attribute(By.id("current-user"), "data-roles")).contains("ADMIN");
			click(By.id("nav-admin"));
			await("the admin view", () -> browser.findElement(By.id("admin-view")).isDisplayed());

			String instance = "[data-testid=user-share-bar][data-instance-id='127.0.0.1:" + orders.port() + "']";
			await("the only order-service instance owns every recent user",
					() -> "1".equals(attribute(By.cssSelector(instance), "data-share")));
			assertThat(browser.findElements(By.cssSelector(
					"[data-testid=service][data-service=order-service] tr[data-testid=instance][data-ready=true]")))
				.hasSize(1);

			click(By.id("report-submit"));
			await("the daily report, or word that it is not generated yet",
					() -> !browser
						.findElements(By.cssSelector(
								"#report-output [data-testid=report], #report-output [data-testid=report-missing]"))
						.isEmpty());

			new Select(browser.findElement(By.id("restock-sku"))).selectByValue("LE-021");
			type(By.id("restock-quantity"), "3");
			click(By.id("restock-submit"));
			await("restocked",
					() -> notices("success").stream().anyMatch((notice) -> notice.contains("Restocked LE-021")));
			assertThat(notices("error")).isEmpty();
			assertThat(HeadlessChromium.policyViolations(browser))
				.as("the admin view within its Content-Security-Policy")
				.isEmpty();
		}
		finally {
			HeadlessChromium.screenshot(browser, ADMIN_SCREENSHOT);
		}
	}

	/** Opens the console and logs out whoever is logged in. */
	private void openLoggedOut() {
		browser.get(gateway.baseUrl() + "/");
		await("the console checked the session", () -> !"unknown".equals(attribute(By.tagName("body"), "data-auth")));
		if ("in".equals(attribute(By.tagName("body"), "data-auth"))) {
			click(By.id("logout-button"));
			await("logged out", () -> "out".equals(attribute(By.tagName("body"), "data-auth")));
		}
	}

	private void logIn(String username, String password) {
		type(By.id("login-username"), username);
		type(By.id("login-password"), password);
		click(By.id("login-submit"));
		await("logged in", () -> "in".equals(attribute(By.tagName("body"), "data-auth")));
		assertThat(attribute(By.id("current-user"), "data-username")).isEqualTo(username);
	}

	/** Orders one of a product and waits until the new order is listed; its id. */
	private String placeOrder(String sku, Set<String> before) {
		type(By.cssSelector("input[data-testid=quantity-input][data-sku='" + sku + "']"), "1");
		click(By.id("place-order-button"));
		await("the new order is listed", () -> orderIds().stream().anyMatch((id) -> !before.contains(id)));
		return orderIds().stream().filter((id) -> !before.contains(id)).findFirst().orElseThrow();
	}

	private void awaitStatus(String id, String status, Duration timeout) {
		Awaitility.await("order " + id + " shows " + status)
			.atMost(timeout)
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> status.equals(attribute(order(id), "data-status")));
	}

	/** How many times the page has read orders over REST so far. */
	private long orderReads() {
		Object count = browser.executeScript("return performance.getEntriesByType('resource')"
				+ ".filter((entry) => new URL(entry.name).pathname.startsWith('/api/orders')).length");
		return ((Number) count).longValue();
	}

	/**
	 * The ids of the listed orders, read in one go (the list is re-rendered as it
	 * changes).
	 */
	@SuppressWarnings("unchecked")
	private List<String> orderIds() {
		return (List<String>) browser.executeScript("return [...document.querySelectorAll("
				+ "'#orders-list [data-testid=order]')].map((order) => order.dataset.orderId)");
	}

	private WebElement order(String id) {
		return browser.findElement(By.cssSelector("#orders-list [data-testid=order][data-order-id='" + id + "']"));
	}

	private List<String> notices(String kind) {
		return browser.findElements(By.cssSelector("#notices [data-testid=notice][data-kind=" + kind + "]"))
			.stream()
			.map(WebElement::getText)
			.collect(Collectors.toList());
	}

	private static void type(By field, String text) {
		WebElement element = browser.findElement(field);
		element.clear();
		element.sendKeys(text);
	}

	/**
	 * Clicks a button once it is enabled. The list it is in may be re-rendered meanwhile:
	 * a stale element fails before the click happens, so it is found and tried again.
	 */
	private static void click(By button) {
		Awaitility.await(button + " clicked")
			.atMost(Duration.ofSeconds(10))
			.ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
			.until(() -> {
				WebElement element = browser.findElement(button);
				if (!element.isEnabled()) {
					return false;
				}
				element.click();
				return true;
			});
	}

	private static String attribute(By element, String name) {
		return browser.findElement(element).getDomAttribute(name);
	}

	private static String attribute(WebElement element, String name) {
		return element.getDomAttribute(name);
	}

	private static String text(By element) {
		return browser.findElement(element).getText();
	}

	private static void await(String what, Supplier<Boolean> condition) {
		Awaitility.await(what)
			.atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(condition::get);
	}

}
