package io.gtcp.internal.pool;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;

/**
 * Puts the pool and the endpoint into a failure's message while keeping its type:
 * {@code java.net.ConnectException: pool 'orders': 10.0.0.2:9000: Connection refused}.
 *
 * <p>Why: the JDK's socket exceptions say what failed ("Connection refused") but not where, and an application
 * with several pools, each with several servers, cannot tell which one it was. Why the same type rather than a
 * wrapper: callers catch {@link java.net.ConnectException} or {@link java.net.SocketTimeoutException} and must
 * go on catching them (the JDK's {@code HttpClient} does the same with its "Connect to host:port failed"). The
 * copy is a new instance of the failure's own class, made through its public {@code (String)} constructor, with
 * the original's cause, stack trace and suppressed failures, so it reads as the original with a longer message
 * (a handshake failure's {@code CertificateException} stays its cause); a type without such a constructor (e.g. an {@link
 * java.nio.channels.AsynchronousCloseException}, a cancellation and no server's failure) is returned as it is.
 *
 * <p>Failures are rare, so the reflection costs nothing that matters; the constructor found is kept per class.
 */
public final class NamedFailure {

    /** Per exception class, its public {@code (String)} constructor, or null if it has none we may use. */
    private static final ClassValue<Constructor<? extends IOException>> BY_MESSAGE = new ClassValue<>() {
        @Override
        @SuppressWarnings("unchecked")
        protected Constructor<? extends IOException> computeValue(Class<?> type) {
            if (!IOException.class.isAssignableFrom(type) || !Modifier.isPublic(type.getModifiers())) {
                return null;
            }
            try {
                return (Constructor<? extends IOException>) type.getConstructor(String.class);
            } catch (NoSuchMethodException | SecurityException e) {
                return null;
            }
        }
    };

    private NamedFailure() {
    }

    /** What a named message starts with: {@code pool 'orders': 10.0.0.2:9000: }. */
    public static String prefix(String pool, String endpoint) {
        return "pool '" + pool + "': " + endpoint + ": ";
    }

    /**
     * {@code failure} as the same type, its message prefixed with {@link #prefix}, with its cause, stack trace and
     * suppressed failures; the
     * failure itself if it is named already or its type cannot be copied.
     */
    public static IOException name(String pool, String endpoint, IOException failure) {
        String prefix = prefix(pool, endpoint);
        String message = failure.getMessage();
        if (message != null && message.startsWith(prefix)) {
            return failure;
        }
        Constructor<? extends IOException> make = BY_MESSAGE.get(failure.getClass());
        if (make == null) {
            return failure;
        }
        IOException named;
        try {
            named = make.newInstance(prefix + (message != null ? message : failure.getClass().getSimpleName()));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return failure;
        }
        Throwable cause = failure.getCause();
        if (cause != null) {
            try {
                named.initCause(cause);
            } catch (IllegalStateException causeSetByConstructor) {
                return failure;
            }
        }
        named.setStackTrace(failure.getStackTrace()); // where it failed, not where it was named
        for (Throwable s : failure.getSuppressed()) {
            named.addSuppressed(s);
        }
        return named;
    }
}
