package io.gtcp.spring.boot.autoconfigure.server;

/**
 * Why the gtcp server could not be made or could not start, in the words of the application's configuration:
 * the property to change ({@code gtcp.server.address} for a busy port) or the beans in question (no handler,
 * two handlers). {@link GtcpServerFailureAnalyzer} turns it into Boot's "APPLICATION FAILED TO START" report.
 */
public class GtcpServerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String subject;

    private final String action;

    /**
     * @param subject what is wrong, named as the user wrote it: a property with its value, or the beans
     * @param reason  why it does not work
     * @param action  what to do about it
     */
    public GtcpServerException(String subject, String reason, String action, Throwable cause) {
        super(subject + ": " + reason, cause);
        this.subject = subject;
        this.action = action;
    }

    /** The property or beans at fault. */
    public String getSubject() {
        return this.subject;
    }

    /** What the application should change. */
    public String getAction() {
        return this.action;
    }
}
