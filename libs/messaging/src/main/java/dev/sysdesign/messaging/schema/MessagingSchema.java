package dev.sysdesign.messaging.schema;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * The schema of reliable messaging (the {@code outbox} and {@code inbox} tables), shipped
 * once with this library and applied by each service's own Flyway: right after the
 * service's migrations (a Flyway {@link Callback} on {@code AFTER_MIGRATE}, which Spring
 * Boot registers on the service's Flyway), on the same database, with its own history
 * table {@value #HISTORY}, so that the service's version numbers and the library's never
 * collide. The migrations are {@code db/messaging/V1__outbox_and_inbox.sql} and
 * {@link V2__outbox_unsent_in_id_order}; both leave tables a service made before this
 * library shipped its schema as they are, or bring them to the current form.
 */
public class MessagingSchema implements Callback {

	/** The history table of the messaging schema. */
	public static final String HISTORY = "messaging_schema_history";

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
			.table(HISTORY)
			.locations("classpath:db/messaging")
			.javaMigrations(new V2__outbox_unsent_in_id_order())
			// the service's migrations ran first: the schema is not empty
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.load()
			.migrate();
	}

	@Override
	public String getCallbackName() {
		return "messaging-schema";
	}

}
