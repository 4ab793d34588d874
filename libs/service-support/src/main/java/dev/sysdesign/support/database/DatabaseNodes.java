package dev.sysdesign.support.database;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nodes of the database cluster a service may find its primary on, and their JDBC
 * URLs: each node's URL is the service's own ({@code spring.datasource.url}: scheme,
 * database, parameters) with the node's {@code host:port}.
 *
 * @param urlTemplate the service's JDBC URL
 * @param addresses every node's {@code host:port}; the URL's own when none is configured
 * (a single address, such as a primary Service that an operator keeps pointing at the
 * primary)
 */
public record DatabaseNodes(String urlTemplate, List<String> addresses) {

	private static final Pattern AUTHORITY = Pattern.compile("^(jdbc:[a-z]+:(?:[a-z:]+:)?//)([^/?;]+)(.*)$");

	public DatabaseNodes {
		if (!AUTHORITY.matcher(urlTemplate).matches()) {
			throw new IllegalArgumentException("not a MySQL or MariaDB JDBC URL: " + urlTemplate);
		}
		addresses = addresses.stream().map(String::trim).filter((address) -> !address.isEmpty()).toList();
		if (addresses.isEmpty()) {
			addresses = List.of(JdbcAddress.of(urlTemplate));
		}
	}

	/**
	 * The JDBC URL of a node.
	 * @param address the node's {@code host:port}
	 * @return the service's URL pointing at that node
	 */
	public String url(String address) {
		Matcher matcher = AUTHORITY.matcher(this.urlTemplate);
		matcher.matches();
		return matcher.group(1) + address + matcher.group(3);
	}

	@Override
	public String toString() {
		return String.join(",", this.addresses);
	}

}
