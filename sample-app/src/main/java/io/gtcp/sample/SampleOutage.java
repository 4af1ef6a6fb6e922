package io.gtcp.sample;

/**
 * Example 3's scripted outage: after a third of the client's exchanges it stops one of the three servers
 * (127.0.0.2), after two thirds it starts it again on the same address, and it prints each step on a line of its
 * own ({@code # stopped <address>}, {@code # restarted <address>}) between the exchange lines.
 *
 * <p>It runs on the client's thread, between two exchanges, rather than on a timer: the console then shows exactly
 * which exchanges ran without the server, whatever the interval, and no exchange is cut in half by the stop (the
 * client's connection to that server sits idle in the pool, as a real outage would find it). It needs both the
 * servers and the client in one process; in any other role, or for examples 1 and 2, {@link #NONE} does nothing.
 */
final class SampleOutage {

    /** No outage. */
    static final SampleOutage NONE = new SampleOutage(null, null, -1, -1);

    /** With no count, the outage is that of a run this long: stopped after the 10th exchange, back after the 20th. */
    static final long UNBOUNDED_RUN = 30;

    /** Which of example 3's servers goes away: the middle one, neither the first nor the last in the group's list. */
    private static final int STOPPED_SERVER = 1;

    private final SampleServer server;
    private final String address;
    private final long stopAfter;
    private final long restartAfter;

    private SampleOutage(SampleServer server, String address, long stopAfter, long restartAfter) {
        this.server = server;
        this.address = address;
        this.stopAfter = stopAfter;
        this.restartAfter = restartAfter;
    }

    /** Example 3's outage of {@code server}, or {@link #NONE}; a run of fewer than 3 exchanges has none. */
    static SampleOutage of(SampleProperties properties, SampleServer server) {
        boolean bothRoles = properties.getRole().runsServer() && properties.getRole().runsClient();
        long run = properties.getCount() > 0 ? properties.getCount() : UNBOUNDED_RUN;
        if (properties.getExample() != 3 || !bothRoles || run < 3) {
            return NONE;
        }
        return new SampleOutage(server, server.addresses().get(STOPPED_SERVER), run / 3, 2 * run / 3);
    }

    /** Called by the client after its {@code done}-th exchange (counting from 1). */
    void afterExchange(long done) {
        if (done == stopAfter) {
            server.stop(address);
            System.out.println("# stopped " + address);
        } else if (done == restartAfter) {
            server.restart(address);
            System.out.println("# restarted " + address);
        }
    }
}
