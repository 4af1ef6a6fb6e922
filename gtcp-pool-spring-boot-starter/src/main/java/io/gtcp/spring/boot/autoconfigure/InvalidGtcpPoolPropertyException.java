package io.gtcp.spring.boot.autoconfigure;

import java.time.Duration;

import org.springframework.boot.convert.DurationStyle;

/**
 * A {@code gtcp.pool.*} property has a value the pool cannot work with. It names the property, the bad value and
 * what the value must be, so that {@link InvalidGtcpPoolPropertyFailureAnalyzer} can tell the user exactly what to
 * change; the core's own complaint, if there was one, is the cause.
 */
public class InvalidGtcpPoolPropertyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String property;

    private final String value;

    private final String requirement;

    /**
     * @param property    the full property name, such as {@code gtcp.pool.max-size}
     * @param value       the bound value
     * @param requirement what a valid value looks like, a sentence fragment such as "it must be at least 1"
     * @param cause       the core's complaint, or {@code null}
     */
    public InvalidGtcpPoolPropertyException(String property, Object value, String requirement, Throwable cause) {
        super("Invalid value '" + format(value) + "' for property '" + property + "': " + requirement, cause);
        this.property = property;
        this.value = format(value);
        this.requirement = requirement;
    }

    /** The full name of the property, such as {@code gtcp.pool.max-size}. */
    public String getProperty() {
        return this.property;
    }

    /** The bad value as text ({@code Duration}s in the {@code 250ms} form). */
    public String getValue() {
        return this.value;
    }

    /** What a valid value looks like: "it must be at least 1". */
    public String getRequirement() {
        return this.requirement;
    }

    private static String format(Object value) {
        if (value instanceof Duration duration) {
            return DurationStyle.SIMPLE.print(duration);
        }
        return String.valueOf(value);
    }
}
