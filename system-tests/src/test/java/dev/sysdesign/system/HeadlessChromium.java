package dev.sysdesign.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by Debian's chromedriver, and nothing else: both
 * paths are given, so Selenium Manager (which would download a driver or a browser) never
 * runs. Missing packages fail the test, naming what to install.
 */
final class HeadlessChromium {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private HeadlessChromium() {
	}

	/**
	 * Starts a browser with a fresh profile.
	 * @param profile an empty directory for the profile
	 * @param log chromedriver's log file
	 * @return the driver; quit it when done
	 * @throws AssertionError when chromium or chromedriver is not installed
	 */
	static ChromeDriver start(Path profile, Path log) {
		for (Path binary : new Path[] { CHROMIUM, CHROMEDRIVER }) {
			if (!Files.isExecutable(binary)) {
				throw new AssertionError(binary + " is missing: the console's browser test needs Debian's chromium and "
						+ "chromedriver (apt-get install chromium chromium-driver)");
			}
		}
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.withLogFile(log.toFile())
			.build();
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-dev-shm-usage", "--window-size=1280,1400", "--user-data-dir=" + profile);
		// the page's console messages, where Chromium reports Content-Security-Policy
		// refusals
		options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
		return driver;
	}

	/**
	 * The page's console messages that report a Content-Security-Policy refusal since the
	 * last call.
	 * @param driver the browser
	 * @return the messages
	 */
	static java.util.List<String> policyViolations(ChromeDriver driver) {
		return driver.manage()
			.logs()
			.get(org.openqa.selenium.logging.LogType.BROWSER)
			.getAll()
			.stream()
			.map(org.openqa.selenium.logging.LogEntry::getMessage)
			.filter((message) -> message.contains("Content Security Policy"))
			.toList();
	}

	/**
	 * Saves a screenshot of the page as it is now.
	 * @param driver the browser
	 * @param file the PNG file
	 */
	static void screenshot(ChromeDriver driver, Path file) {
		try {
			Files.createDirectories(file.getParent());
			Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
