package dev.sysdesign.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP client for the system tests: JSON in, status and body out.
 */
final class Http {

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private Http() {
	}

	static HttpResponse<String> send(String method, String url, String body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(15))
			.method(method,
					(body == null) ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		try {
			return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + url + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static HttpResponse<String> get(String url, String... headers) {
		return send("GET", url, null, headers);
	}

	static HttpResponse<String> post(String url, String body, String... headers) {
		return send("POST", url, body, headers);
	}

	static HttpResponse<String> delete(String url, String... headers) {
		return send("DELETE", url, null, headers);
	}

	/**
	 * Reads a string field of a flat JSON object.
	 * @param json the JSON
	 * @param field the field
	 * @return its value, or {@code null}
	 */
	static String field(String json, String field) {
		Matcher matcher = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
		return matcher.find() ? matcher.group(1) : null;
	}

	/**
	 * Registers an account and logs it in through a gateway.
	 * @param gateway the gateway's base address
	 * @param username a new username
	 * @return the session token
	 */
	static String registerAndLogIn(String gateway, String username) {
		String credentials = "{\"username\":\"" + username + "\",\"password\":\"system-test-password\"}";
		HttpResponse<String> registered = post(gateway + "/api/accounts", credentials);
		if (registered.statusCode() != 201) {
			throw new AssertionError("registration failed: " + registered.statusCode() + " " + registered.body());
		}
		return logIn(gateway, username);
	}

	static String logIn(String gateway, String username) {
		String credentials = "{\"username\":\"" + username + "\",\"password\":\"system-test-password\"}";
		HttpResponse<String> login = post(gateway + "/api/sessions", credentials);
		if (login.statusCode() != 201) {
			throw new AssertionError("login failed: " + login.statusCode() + " " + login.body());
		}
		String token = field(login.body(), "token");
		if (token == null) {
			throw new AssertionError("no token in " + login.body());
		}
		return token;
	}

}
