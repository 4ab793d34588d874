package dev.sysdesign.support.database;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Turns a start-up failure to reach the primary database into one clear line naming its
 * address, instead of a long stack trace: the readiness contract says a service whose
 * primary is unreachable at start-up exits and says where it looked.
 */
class PrimaryDatabaseFailureAnalyzer extends AbstractFailureAnalyzer<java.sql.SQLException> {

	private final Environment environment;

	PrimaryDatabaseFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, java.sql.SQLException cause) {
		String url = this.environment.getProperty("spring.datasource.url");
		String address = addresses(url);
		if (cause instanceof SQLInvalidAuthorizationSpecException || isAccessDenied(cause)) {
			return new FailureAnalysis(
					"Primary database at " + address + " refused the credentials of user '"
							+ this.environment.getProperty("spring.datasource.username") + "': " + cause.getMessage(),
					"Check the database user and password configured for this service.", cause);
		}
		if (isConnectionFailure(cause)) {
			return new FailureAnalysis("Primary database unreachable at " + address + " (" + url + ")",
					"Start the database (scripts/infra.sh up) or point the service at it with DB_NODES and its *_DB_URL variable.",
					cause);
		}
		return null;
	}

	/**
	 * Where the service looked: the nodes of {@code platform.datasource.nodes}, or the
	 * URL's address.
	 */
	private String addresses(@Nullable String url) {
		String nodes = this.environment.getProperty("platform.datasource.nodes", "");
		java.util.List<String> list = java.util.Arrays.stream(nodes.split(","))
			.map(String::trim)
			.filter((node) -> !node.isEmpty())
			.toList();
		return list.isEmpty() ? JdbcAddress.of(url) : String.join(", ", list);
	}

	private static boolean isAccessDenied(Throwable ex) {
		return ex.getMessage() != null && ex.getMessage().contains("Access denied");
	}

	private static boolean isConnectionFailure(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof ConnectException || current instanceof UnknownHostException
					|| current instanceof NoRouteToHostException || current instanceof SocketTimeoutException
					|| current instanceof SQLNonTransientConnectionException
					|| current instanceof SQLTransientConnectionException
					|| current.getClass().getSimpleName().equals("CommunicationsException")) {
				return true;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return false;
	}

}
