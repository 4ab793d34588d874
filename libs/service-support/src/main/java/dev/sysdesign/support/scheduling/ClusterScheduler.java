package dev.sysdesign.support.scheduling;

import java.util.List;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.Task;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the service's scheduled jobs once per slot across all of its instances, with
 * db-scheduler on the service's primary database: every instance polls the
 * {@code scheduled_tasks} table, and the one that takes a due execution (an optimistic
 * update of its row) runs it; the others see it taken. An execution whose instance died
 * is run again after its heartbeats stop. Each job is a {@link Task} bean.
 * <p>
 * Starts after the rest of the application (its jobs may need every bean) and stops
 * first, waiting for running jobs.
 */
public class ClusterScheduler implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ClusterScheduler.class);

	private final DataSource dataSource;

	private final List<Task<?>> tasks;

	private final ClusterSchedulerProperties properties;

	private final String instanceName;

	private @Nullable Scheduler scheduler;

	public ClusterScheduler(DataSource dataSource, List<Task<?>> tasks, ClusterSchedulerProperties properties,
			String instanceName) {
		this.dataSource = dataSource;
		this.tasks = List.copyOf(tasks);
		this.properties = properties;
		this.instanceName = instanceName;
	}

	@Override
	public synchronized void start() {
		if (this.scheduler != null) {
			return;
		}
		List<Task<?>> recurring = this.tasks.stream()
			.filter((task) -> task instanceof com.github.kagkarlsson.scheduler.task.helper.RecurringTask<?>)
			.toList();
		// recurring tasks are known through startTasks, the others are listed here
		List<Task<?>> others = this.tasks.stream().filter((task) -> !recurring.contains(task)).toList();
		Scheduler created = Scheduler.create(this.dataSource, others)
			.startTasks(recurring.stream()
				.map((task) -> (com.github.kagkarlsson.scheduler.task.helper.RecurringTask<?>) task)
				.toList())
			.schedulerName(new SchedulerName.Fixed(this.instanceName))
			.pollingInterval(this.properties.pollingInterval())
			.heartbeatInterval(this.properties.heartbeatInterval())
			.threads(this.properties.threads())
			.shutdownMaxWait(this.properties.shutdownMaxWait())
			.alwaysPersistTimestampInUTC()
			.enableImmediateExecution()
			.build();
		created.start();
		this.scheduler = created;
		log.info("Cluster scheduler started as {} with jobs {}", this.instanceName,
				this.tasks.stream().map(Task::getName).toList());
	}

	@Override
	public synchronized void stop() {
		Scheduler running = this.scheduler;
		if (running != null) {
			running.stop();
			this.scheduler = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		// after the web server and the message listeners, stopped before them
		return Integer.MAX_VALUE - 100;
	}

	/**
	 * The scheduler, to schedule one-time executions.
	 * @return the running scheduler
	 * @throws IllegalStateException when not running
	 */
	public synchronized Scheduler scheduler() {
		if (this.scheduler == null) {
			throw new IllegalStateException("The cluster scheduler is not running");
		}
		return this.scheduler;
	}

}
