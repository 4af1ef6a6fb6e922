package io.gtcp.spring.boot.autoconfigure.server;

import io.gtcp.ConnHandler;
import io.gtcp.PkgHandler;
import io.gtcp.TcpServer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import javax.net.ssl.SSLContext;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.system.JavaVersion;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Makes the starter's {@link TcpServer} from {@code gtcp.server.*} and the application's handler bean. Whatever
 * keeps it from being made stops the start with a {@link GtcpServerException} that names the property or the
 * beans: no handler bean or more than one, a malformed address, a missing or broken SSL bundle, virtual threads
 * asked for on a Java without them, a cap below one. A {@link PkgHandler} is served by
 * {@link TcpServer#ofPkg} (gtcp's 2-byte header), through the {@link GtcpServerHandlerDecorator} if there is one
 * (the observation of each exchange).
 */
final class GtcpServers {

    private static final String PREFIX = GtcpServerProperties.PREFIX + ".";

    private final GtcpServerProperties properties;

    private final ListableBeanFactory beanFactory;

    private final Environment environment;

    private final SslBundles sslBundles;

    private final GtcpServerHandlerDecorator decorator;

    GtcpServers(GtcpServerProperties properties, ListableBeanFactory beanFactory, Environment environment,
            SslBundles sslBundles, GtcpServerHandlerDecorator decorator) {
        this.properties = properties;
        this.beanFactory = beanFactory;
        this.environment = environment;
        this.sslBundles = sslBundles;
        this.decorator = decorator;
    }

    /** The server named {@code name}, not started. */
    TcpServer create(String name) {
        String address = this.properties.getAddress();
        Object handler = handler();
        SSLContext tls = tls();
        TcpServer server;
        try {
            if (handler instanceof PkgHandler pkg) {
                PkgHandler decorated = (this.decorator != null) ? this.decorator.decorate(name, pkg) : pkg;
                server = TcpServer.ofPkg(address, decorated, null, tls);
            }
            else {
                server = new TcpServer(address, (ConnHandler) handler, tls);
            }
        }
        catch (IllegalArgumentException ex) {
            throw new GtcpServerException(PREFIX + "address=" + address, ex.getMessage(),
                    "Set " + PREFIX + "address to host:port, :port or host:0 (port 0 picks a free port).", ex);
        }
        int max = this.properties.getMaxConnections();
        if (max < 1) {
            throw new GtcpServerException(PREFIX + "max-connections=" + max, "it must be at least 1",
                    "Set " + PREFIX + "max-connections to 1 or more.", null);
        }
        server.maxConnections(max);
        ThreadFactory threads = threads();
        if (threads != null) {
            server.handlerThreads(threads);
        }
        return server;
    }

    /**
     * The application's one handler bean, a {@link PkgHandler} or a {@link ConnHandler}; none or several stop
     * the start, naming them.
     */
    private Object handler() {
        String[] pkg = this.beanFactory.getBeanNamesForType(PkgHandler.class);
        String[] conn = this.beanFactory.getBeanNamesForType(ConnHandler.class);
        List<String> handlers = new ArrayList<>();
        for (String name : pkg) {
            handlers.add("'" + name + "' (PkgHandler)");
        }
        for (String name : conn) {
            handlers.add("'" + name + "' (ConnHandler)");
        }
        if (handlers.isEmpty()) {
            throw new GtcpServerException(PREFIX + "address=" + this.properties.getAddress(),
                    "there is no PkgHandler or ConnHandler bean to serve its connections",
                    "Define one bean of type io.gtcp.PkgHandler (one request, one reply) or io.gtcp.ConnHandler "
                            + "(the whole connection), or remove " + PREFIX + "address.",
                    null);
        }
        if (handlers.size() > 1) {
            throw new GtcpServerException("beans " + String.join(" and ", handlers),
                    PREFIX + "address serves exactly one handler bean, and there are " + handlers.size(),
                    "Keep one of them as a bean (serve the others on TcpServers of your own), or remove "
                            + PREFIX + "address.",
                    null);
        }
        return (pkg.length == 1) ? this.beanFactory.getBean(pkg[0]) : this.beanFactory.getBean(conn[0]);
    }

    private SSLContext tls() {
        String bundle = this.properties.getSsl().getBundle();
        if (bundle == null) {
            return null;
        }
        String subject = PREFIX + "ssl.bundle=" + bundle;
        if (this.sslBundles == null) {
            throw new GtcpServerException(subject, "the application has no SSL bundles (SslAutoConfiguration)",
                    "Configure the bundle under spring.ssl.bundle.*, or remove " + PREFIX + "ssl.bundle.", null);
        }
        try {
            return this.sslBundles.getBundle(bundle).createSslContext();
        }
        catch (NoSuchSslBundleException ex) {
            throw new GtcpServerException(subject, "there is no SSL bundle of that name",
                    "Configure spring.ssl.bundle.jks." + bundle + " (or .pem." + bundle + "), or name another bundle.",
                    ex);
        }
        catch (RuntimeException ex) {
            throw new GtcpServerException(subject, "its key or certificates cannot be used: " + ex.getMessage(),
                    "Fix the bundle spring.ssl.bundle.*." + bundle + ".", ex);
        }
    }

    /** Virtual threads when asked for (or by spring.threads.virtual.enabled), else null: a platform thread each. */
    private ThreadFactory threads() {
        Boolean asked = this.properties.getVirtualThreads();
        boolean virtual = (asked != null) ? asked : Threading.VIRTUAL.isActive(this.environment);
        if (!virtual) {
            return null;
        }
        if (!JavaVersion.getJavaVersion().isEqualOrNewerThan(JavaVersion.TWENTY_ONE)) {
            throw new GtcpServerException(PREFIX + "virtual-threads=true",
                    "this Java (" + System.getProperty("java.version") + ") has no virtual threads: they need Java 21"
                            + " or later",
                    "Run the application on Java 21 or later, or set " + PREFIX + "virtual-threads=false.", null);
        }
        return new VirtualThreadTaskExecutor("gtcp-conn-").getVirtualThreadFactory();
    }
}
