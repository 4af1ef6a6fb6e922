package io.gtcp.internal.io;

import java.net.InetSocketAddress;

/** Parses gtcp's {@code "host:port"} addresses ({@code ":port"} = any interface, {@code "[::1]:port"} for IPv6). */
public final class Addresses {

    private Addresses() {
    }

    /** The host part; empty for {@code ":port"}. Throws {@link IllegalArgumentException} for a malformed address. */
    public static String host(String address) {
        int colon = separator(address);
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host;
    }

    /** The port part, 0..65535. Throws {@link IllegalArgumentException} for a malformed address. */
    public static int port(String address) {
        int colon = separator(address);
        String digits = address.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw invalid(address, "the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw invalid(address, "the port is outside 0..65535");
        }
        return port;
    }

    /** Checks the address's form without resolving it; returns it. */
    public static String validate(String address) {
        port(address);
        return address;
    }

    /** An address to dial: resolved now, so that a changed DNS entry is seen by the next dial. */
    public static InetSocketAddress resolve(String address) {
        String host = host(address);
        int port = port(address);
        if (host.isEmpty()) {
            throw invalid(address, "a host is needed to connect");
        }
        return new InetSocketAddress(host, port);
    }

    /** An address to listen on: an empty host means every interface. */
    public static InetSocketAddress bindable(String address) {
        String host = host(address);
        int port = port(address);
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** {@code host:port} of a socket address, IPv6 hosts in brackets, as gtcp prints them. */
    public static String format(InetSocketAddress address) {
        if (address == null) {
            return "";
        }
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return host + ":" + address.getPort();
    }

    private static int separator(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("invalid address '" + address + "': expected host:port");
        }
        int colon = address.lastIndexOf(':');
        if (colon < 0 || colon == address.length() - 1) {
            throw invalid(address, "expected host:port");
        }
        if (address.indexOf(':') != colon && !address.startsWith("[")) {
            throw invalid(address, "an IPv6 host must be in brackets, as in [::1]:8999");
        }
        return colon;
    }

    private static IllegalArgumentException invalid(String address, String why) {
        return new IllegalArgumentException("invalid address '" + address + "': " + why);
    }
}
