package io.fdloop.cli.bench.http;

import io.fdloop.cli.bench.proc.Readiness;
import io.fdloop.cli.bench.proc.ServerLaunch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * nginx from the system as the HTTP peer, configured as the issue asks: one worker,
 * {@code sendfile on; tcp_nopush on; open_file_cache max=10000; keepalive_requests 1000000;
 * access_log off;}, and {@code aio on; directio 4m;} for the cold case: Linux AIO on O_DIRECT
 * reads, signalled through an eventfd, where nginx was built {@code --with-file-aio}; otherwise
 * (Debian's package, for one) the closest it has, {@code aio threads; directio 4m;}, O_DIRECT
 * reads on nginx's thread pool, and {@link #coldAio()} says which. It runs in the
 * foreground ({@code daemon off}) with its master and one worker, from a prefix directory of its
 * own; {@code /proc} readings cover both. It prints nothing when ready: bench connects until it
 * answers.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
final class Nginx {
    private Nginx() {
    }

    /** Why nginx cannot run here, or null. */
    static String unavailableBecause() {
        try {
            Process probe = new ProcessBuilder("nginx", "-v").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor() == 0 ? null : "nginx -v failed";
        } catch (IOException e) {
            return "nginx is not installed (apt-get install nginx)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while looking for nginx";
        }
    }

    /** The cold case's {@code aio} directive for this nginx: {@code aio on} with file AIO built in, else {@code aio threads}. */
    static String coldAio() {
        try {
            Process probe = new ProcessBuilder("nginx", "-V").redirectErrorStream(true).start();
            String build = new String(probe.getInputStream().readAllBytes());
            probe.waitFor();
            return build.contains("--with-file-aio") ? "aio on" : "aio threads";
        } catch (IOException e) {
            return "aio on";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "aio on";
        }
    }

    /** Writes the configuration for {@code root} into {@code prefix} and says how to start nginx with it. */
    static ServerLaunch launch(Path prefix, Path root, HttpCase httpCase) throws IOException {
        int port = freePort();
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, config(prefix, root, port, httpCase.cold() ? coldAio() : null));
        return new ServerLaunch("nginx", List.of("nginx", "-p", prefix + "/", "-c", conf.toString(), "-e",
                prefix.resolve("error.log").toString()), prefix, Map.of(),
                new Readiness.PortProbe(new InetSocketAddress("127.0.0.1", port)));
    }

    /** The nginx.conf text; {@code coldAio} (such as {@code aio on}) with {@code directio 4m} for the cold case, or null. */
    static String config(Path prefix, Path root, int port, String coldAio) {
        return """
                daemon off;
                master_process on;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events {
                    worker_connections 20000;
                    use epoll;
                }
                http {
                    access_log off;
                    sendfile on;
                    tcp_nopush on;
                    tcp_nodelay on;
                    open_file_cache max=10000;
                    keepalive_requests 1000000;
                    keepalive_timeout 75s;
                    types { text/plain txt; text/html html; }
                    default_type application/octet-stream;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen 127.0.0.1:%2$d;
                        root %3$s;
                %4$s    }
                }
                """.formatted(prefix, port, root, coldAio != null ? "        " + coldAio + ";\n        directio 4m;\n" : "");
    }

    /** A port nothing listens on now (nginx cannot be told "any port" and say which). */
    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
