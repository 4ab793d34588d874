package dev.sysdesign.support.database;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Translates database errors and tells the {@link FailoverDataSource} when one means the
 * primary may have moved: a write refused because the node is read-only (MySQL/MariaDB
 * errors 1290 and 1836, a demoted primary) or a lost connection. A read-only refusal
 * becomes a {@link TransientDataAccessResourceException} (503 and {@code Retry-After}:
 * the write can be retried once the primary is found), never an uncategorized 500.
 */
public class FailoverAwareExceptionTranslator implements SQLExceptionTranslator {

	private final SQLExceptionTranslator delegate;

	private final FailoverDataSource primary;

	public FailoverAwareExceptionTranslator(SQLExceptionTranslator delegate, FailoverDataSource primary) {
		this.delegate = delegate;
		this.primary = primary;
	}

	@Override
	public @Nullable DataAccessException translate(String task, @Nullable String sql, SQLException ex) {
		if (isReadOnly(ex)) {
			this.primary.readOnlyRefusal();
			return new TransientDataAccessResourceException(
					task + ": the database node is read-only (the primary moved); retry shortly", ex);
		}
		if (isConnectionLoss(ex)) {
			this.primary.suspect();
		}
		return this.delegate.translate(task, sql, ex);
	}

	/**
	 * MySQL/MariaDB: 1290 (--read-only prevents the statement), 1836 (read-only mode).
	 */
	static boolean isReadOnly(SQLException ex) {
		for (SQLException current = ex; current != null; current = current.getNextException()) {
			if (current.getErrorCode() == 1290 || current.getErrorCode() == 1836) {
				return true;
			}
		}
		return false;
	}

	static boolean isConnectionLoss(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof SQLNonTransientConnectionException
					|| current instanceof SQLTransientConnectionException || current instanceof SQLRecoverableException
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
