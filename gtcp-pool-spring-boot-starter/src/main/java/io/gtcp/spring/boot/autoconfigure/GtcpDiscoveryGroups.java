package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.PoolConnFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * The starter's pools whose endpoints come from service discovery, kept in step with the registry between two
 * {@code refresh-every} polls.
 *
 * <p>Why: a registry tells an application of a change with Spring Cloud's {@code HeartbeatEvent} (ZooKeeper and
 * Consul when their catalogue changes, Eureka and Kubernetes on their own cadence), and
 * {@link #registryChanged()} then refreshes every discovery group at once. But not every application gets those
 * events: Spring Cloud Zookeeper, for one, watches the registry only in an application that registered itself,
 * so a pure client never hears of a change. Until the first event arrives, each group therefore polls its
 * service every {@code discovery.poll-until-heartbeat} (2 s by default: one {@code getInstances} call, which
 * for most registries reads a local cache); from the first event on, the registry's events take over and the
 * polls stop. A refresh never blocks the caller: the core polls on the group's own thread.
 */
public class GtcpDiscoveryGroups implements DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(GtcpDiscoveryGroups.class);

    private final Map<PoolConnFactory, Poll> groups = new ConcurrentHashMap<>();

    private final Object lock = new Object();

    private ScheduledThreadPoolExecutor poller;

    private volatile boolean heard;

    private volatile boolean closed;

    /**
     * Follows {@code factory}'s registry: refreshed on every registry event, and polled every {@code pollEvery}
     * until the first one (null or zero: not polled).
     */
    public void register(PoolConnFactory factory, Duration pollEvery) {
        Poll poll = Poll.NONE;
        if (pollEvery != null && !pollEvery.isZero() && !pollEvery.isNegative() && !this.heard
                && !this.closed) {
            long nanos = pollEvery.toNanos();
            poll = new Poll(poller().scheduleWithFixedDelay(() -> poll(factory), nanos, nanos,
                    TimeUnit.NANOSECONDS));
        }
        Poll previous = this.groups.put(factory, poll);
        if (previous != null) {
            previous.cancel();
        }
    }

    /** The registry told of a change (a {@code HeartbeatEvent}): every discovery group refreshes now. */
    public void registryChanged() {
        if (!this.heard) {
            this.heard = true;
            logger.debug("the service registry publishes change events: discovery groups stop polling it");
            this.groups.replaceAll((factory, poll) -> {
                poll.cancel();
                return Poll.NONE;
            });
        }
        this.groups.keySet().removeIf(PoolConnFactory::isClosed);
        this.groups.keySet().forEach(PoolConnFactory::refreshEndpoints);
    }

    /** Whether a registry event arrived: the groups follow the events, not a poll. */
    public boolean followsEvents() {
        return this.heard;
    }

    private void poll(PoolConnFactory factory) {
        if (factory.isClosed()) {
            Poll poll = this.groups.remove(factory);
            if (poll != null) {
                poll.cancel();
            }
            return;
        }
        factory.refreshEndpoints();
    }

    private ScheduledThreadPoolExecutor poller() {
        synchronized (this.lock) {
            if (this.poller == null) {
                ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
                    Thread thread = new Thread(task, "gtcp-discovery-poll");
                    thread.setDaemon(true);
                    return thread;
                });
                executor.setRemoveOnCancelPolicy(true);
                if (this.closed) {
                    executor.shutdown();
                }
                this.poller = executor;
            }
            return this.poller;
        }
    }

    @Override
    public void destroy() {
        synchronized (this.lock) {
            this.closed = true;
            if (this.poller != null) {
                this.poller.shutdownNow();
            }
        }
        this.groups.clear();
    }

    /** One group's poll, or none (null) once the registry's events took over or when it is not polled. */
    private record Poll(ScheduledFuture<?> future) {

        static final Poll NONE = new Poll(null);

        void cancel() {
            if (this.future != null) {
                this.future.cancel(false);
            }
        }
    }
}
