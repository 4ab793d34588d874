package dev.sysdesign.support.scheduling;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The cluster-wide job scheduler ({@code platform.scheduler.*}).
 *
 * @param enabled whether this instance takes part in running the jobs (tests turn it on
 * only where they test a job)
 * @param pollingInterval how often the instance looks for due jobs
 * @param threads how many jobs the instance runs at once
 * @param heartbeatInterval how often a running job proves its instance alive; a job whose
 * instance missed six heartbeats (it died) is run again elsewhere
 * @param shutdownMaxWait how long a stopping instance waits for its running jobs
 */
@ConfigurationProperties("platform.scheduler")
public record ClusterSchedulerProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("5s") Duration pollingInterval, @DefaultValue("2") int threads,
		@DefaultValue("5s") Duration heartbeatInterval, @DefaultValue("20s") Duration shutdownMaxWait) {

}
