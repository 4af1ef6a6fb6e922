package io.gtcp.spring.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Gives the meters that Boot's observation handler makes of the {@code gtcp.client.requests} observations a
 * description, which becomes their Prometheus HELP text: the handler registers its timers without one, and an
 * operator reading a scrape should not meet an empty HELP. Nothing else of the meters changes.
 */
public final class GtcpClientRequestsMeterFilter implements MeterFilter {

    /** The observation's name (the observation package's constant, without needing Micrometer's observation API). */
    private static final String REQUESTS = "gtcp.client.requests";

    private static final String ACTIVE = REQUESTS + ".active";

    @Override
    public Meter.Id map(Meter.Id id) {
        if (id.getDescription() != null) {
            return id;
        }
        if (id.getName().equals(REQUESTS)) {
            return describe(id, "Request/response exchanges on pooled connections, by pool, address, outcome and error");
        }
        if (id.getName().equals(ACTIVE)) {
            return describe(id, "Request/response exchanges on pooled connections in progress");
        }
        return id;
    }

    private static Meter.Id describe(Meter.Id id, String description) {
        return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description,
                id.getType());
    }
}
