package dev.sysdesign.support.schema;

import java.util.List;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * The tables a library brings (the outbox and inbox of messaging, the cluster scheduler's
 * {@code scheduled_tasks}), shipped once with the library and applied by each service's
 * own Flyway: right after the service's migrations (a Flyway {@link Callback} on
 * {@code AFTER_MIGRATE}, which Spring Boot registers on the service's Flyway when it is a
 * bean), on the same database, with a history table of the library's own, so that the
 * service's version numbers and the library's never collide.
 * <p>
 * A library's first migration creates its tables {@code IF NOT EXISTS}: services created
 * before their libraries shipped their schemas made these tables in their own migrations,
 * which stay applied where they ran.
 */
public class LibrarySchema implements Callback {

	private final String name;

	private final String history;

	private final String location;

	private final List<JavaMigration> javaMigrations;

	/**
	 * Creates the schema of a library.
	 * @param name the library, for logs ({@code messaging})
	 * @param history its history table ({@code messaging_schema_history})
	 * @param location its SQL migrations ({@code classpath:db/messaging})
	 * @param javaMigrations its Java migrations, if any
	 */
	public LibrarySchema(String name, String history, String location, JavaMigration... javaMigrations) {
		this.name = name;
		this.history = history;
		this.location = location;
		this.javaMigrations = List.of(javaMigrations);
	}

	@Override
	public boolean supports(Event event, Context context) {
		return event == Event.AFTER_MIGRATE;
	}

	@Override
	public boolean canHandleInTransaction(Event event, Context context) {
		return true;
	}

	@Override
	public void handle(Event event, Context context) {
		Flyway.configure(getClass().getClassLoader())
			.dataSource(context.getConfiguration().getDataSource())
			.table(this.history)
			.locations(this.location)
			.javaMigrations(this.javaMigrations.toArray(JavaMigration[]::new))
			// the service's migrations ran first: the schema is not empty
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.load()
			.migrate();
	}

	@Override
	public String getCallbackName() {
		return this.name + "-schema";
	}

	/**
	 * The history table.
	 * @return its name
	 */
	public String history() {
		return this.history;
	}

}
