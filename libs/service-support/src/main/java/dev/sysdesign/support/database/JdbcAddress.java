package dev.sysdesign.support.database;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Extracts {@code host:port} from a MySQL or MariaDB JDBC URL, for messages that must
 * name the address a service tried to reach.
 */
public final class JdbcAddress {

	private static final Pattern HOST_PORT = Pattern.compile("^jdbc:[a-z]+:(?:[a-z:]+:)?//([^/?;,]+)");

	private JdbcAddress() {
	}

	/**
	 * Returns the address part of a JDBC URL.
	 * @param url the JDBC URL, may be {@code null}
	 * @return {@code host:port} (the port defaults to 3306), or the URL itself when it
	 * cannot be parsed, or {@code "(not configured)"}
	 */
	public static String of(@Nullable String url) {
		if (url == null || url.isBlank()) {
			return "(not configured)";
		}
		Matcher matcher = HOST_PORT.matcher(url);
		if (!matcher.find()) {
			return url;
		}
		String address = matcher.group(1);
		int at = address.lastIndexOf('@');
		if (at >= 0) {
			address = address.substring(at + 1);
		}
		return address.contains(":") ? address : address + ":3306";
	}

}
