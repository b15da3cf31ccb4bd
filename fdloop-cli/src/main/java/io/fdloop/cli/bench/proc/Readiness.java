package io.fdloop.cli.bench.proc;

import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a started server says it is ready, and where it listens.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public sealed interface Readiness {
    /** fdloop's echo-server and the echo peers: {@code listening on HOST:PORT}. */
    Readiness LISTENING = new ReadyLine(Pattern.compile("listening on (?<host>\\[[^]]+]|[^\\s:]+):(?<port>\\d+)"));
    /** fdloop's serve and the HTTP peers written here: {@code serving DIR on http://HOST:PORT/}. */
    Readiness SERVING = new ReadyLine(Pattern.compile("serving .* on http://(?<host>\\[[^]]+]|[^\\s:/]+):(?<port>\\d+)/?"));
    /** The JDK's jwebserver: {@code URL http://HOST:PORT/}. */
    Readiness JWEBSERVER = new ReadyLine(Pattern.compile("URL http://(?<host>\\[[^]]+]|[^\\s:/]+):(?<port>\\d+)/?"));

    /**
     * Ready once it prints a line {@code pattern} finds, whose groups {@code host} and {@code port}
     * say where it listens.
     */
    record ReadyLine(Pattern pattern) implements Readiness {
        /** The address in {@code line}, or null when the line is not the ready line. */
        public InetSocketAddress match(String line) {
            Matcher m = pattern.matcher(line);
            if (!m.find()) {
                return null;
            }
            String host = m.group("host");
            if (host.startsWith("[")) {
                host = host.substring(1, host.length() - 1);
            }
            return new InetSocketAddress(host, Integer.parseInt(m.group("port")));
        }
    }

    /** Ready once a TCP connect to {@code address} succeeds (nginx, which prints nothing). */
    record PortProbe(InetSocketAddress address) implements Readiness {
    }
}
