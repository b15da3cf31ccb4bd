package io.fdloop.http;

import io.fdloop.net.NetMechanism;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a static-file server is configured with, as one immutable value.
 *
 * <p><b>Immutable and thread-safe.</b> Built with {@link #builder(Path)}; every setting has a default
 * chosen after nginx's where nginx has one. A value out of range is refused when it is set, with a
 * message naming the setting, the value and what is allowed.
 *
 * <pre>{@code
 * ServerOptions options = ServerOptions.builder(Path.of("/srv/www"))
 *         .port(8080)
 *         .listing(true)
 *         .directIoThreshold(4 << 20)      // O_DIRECT for files of 4 MiB and more, as nginx's "directio 4m"
 *         .build();
 * }</pre>
 */
public final class ServerOptions {
    /** Whether names starting with a dot (files or directories on the way) are served. */
    public enum Dotfiles {
        /** A target with a segment starting with {@code .} answers 404 and listings leave such names out. */
        HIDDEN,
        /** Dotfiles are served like any other file. */
        SERVED
    }

    private final Path root;
    private final String bindHost;
    private final int port;
    private final int loops;
    private final long directIoThreshold;
    private final Path accessLog;
    private final boolean listing;
    private final Dotfiles dotfiles;
    private final Duration headerReadTimeout;
    private final Duration keepAliveTimeout;
    private final Duration sendTimeout;
    private final Duration lingeringTimeout;
    private final Duration shutdownTimeout;
    private final NetMechanism mechanism;
    private final int maxConnections;
    private final int maxHeaderBytes;
    private final int maxTargetBytes;
    private final int maxPipelinedRequests;
    private final long maxDiscardedBodyBytes;
    private final int keepAliveRequests;
    private final int maxRanges;
    private final int openFileCacheEntries;
    private final int smallFileBytes;
    private final Duration openFileCacheValidity;
    private final int fileLookupThreads;

    private ServerOptions(Builder b) {
        this.root = b.root;
        this.bindHost = b.bindHost;
        this.port = b.port;
        this.loops = b.loops;
        this.directIoThreshold = b.directIoThreshold;
        this.accessLog = b.accessLog;
        this.listing = b.listing;
        this.dotfiles = b.dotfiles;
        this.headerReadTimeout = b.headerReadTimeout;
        this.keepAliveTimeout = b.keepAliveTimeout;
        this.sendTimeout = b.sendTimeout;
        this.lingeringTimeout = b.lingeringTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.mechanism = b.mechanism;
        this.maxConnections = b.maxConnections;
        this.maxHeaderBytes = b.maxHeaderBytes;
        this.maxTargetBytes = b.maxTargetBytes;
        this.maxPipelinedRequests = b.maxPipelinedRequests;
        this.maxDiscardedBodyBytes = b.maxDiscardedBodyBytes;
        this.keepAliveRequests = b.keepAliveRequests;
        this.maxRanges = b.maxRanges;
        this.openFileCacheEntries = b.openFileCacheEntries;
        this.smallFileBytes = b.smallFileBytes;
        this.openFileCacheValidity = b.openFileCacheValidity;
        this.fileLookupThreads = b.fileLookupThreads;
    }

    /** A builder with every default, serving {@code root}. Any thread. */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** A builder holding this value's settings. Any thread. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The directory served; nothing outside it (after symlinks are followed) is ever read. */
    public Path root() {
        return root;
    }

    /** The address the listener binds, a literal IP or a host name; default {@code 127.0.0.1}. */
    public String bindHost() {
        return bindHost;
    }

    /** The TCP port; 0 asks the kernel for a free one. Default 8080. */
    public int port() {
        return port;
    }

    /** Event loops, one per core at most; default the available processors. */
    public int loops() {
        return loops;
    }

    /**
     * Files of at least this many bytes are opened with {@code O_DIRECT} and read through the loop's
     * asynchronous file backend, as nginx's {@code directio}; 0 (the default) turns it off.
     */
    public long directIoThreshold() {
        return directIoThreshold;
    }

    /** The combined-format access log, if one is written; default none. */
    public Optional<Path> accessLog() {
        return Optional.ofNullable(accessLog);
    }

    /** Whether a directory without {@code index.html} gets an HTML listing (else 403). Default off. */
    public boolean listing() {
        return listing;
    }

    /** Default {@link Dotfiles#HIDDEN}. */
    public Dotfiles dotfiles() {
        return dotfiles;
    }

    /**
     * How long a client may take to send a whole request head (and discard a body), from its first
     * byte; on a new connection, from the accept. Closes slowloris connections. Default 30 s.
     */
    public Duration headerReadTimeout() {
        return headerReadTimeout;
    }

    /** How long a kept-alive connection may sit idle between requests. Default 60 s. */
    public Duration keepAliveTimeout() {
        return keepAliveTimeout;
    }

    /** How long a response may make no progress at all before its connection is closed. Default 60 s. */
    public Duration sendTimeout() {
        return sendTimeout;
    }

    /**
     * How long a connection closed after a response (or a timeout) keeps reading and dropping what the
     * client still sends, after this side's FIN, waiting for the client's: closing with unread data would
     * answer it with a reset that can destroy the last response in the client's buffer. nginx's
     * {@code lingering_close}, bounded as its {@code lingering_timeout}. Default 5 s.
     */
    public Duration lingeringTimeout() {
        return lingeringTimeout;
    }

    /**
     * How long a graceful shutdown lets the responses in flight finish before the connections still open
     * are reset. Default 30 s.
     */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * How the sockets reach the kernel ({@link NetMechanism#AUTO}: the best this host allows). Default
     * {@code -Dfdloop.net.mechanism}, else AUTO.
     */
    public NetMechanism mechanism() {
        return mechanism;
    }

    /** Connections open at once, over all loops; beyond it new ones are refused. Default 10,000. */
    public int maxConnections() {
        return maxConnections;
    }

    /** The largest request head (request line and header fields); beyond it, 431. Default 16 KiB. */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /** The longest request target; beyond it, 414. Default 8 KiB. */
    public int maxTargetBytes() {
        return maxTargetBytes;
    }

    /**
     * Requests of one connection parsed ahead of the response being sent; when reached, the connection
     * stops reading until responses have gone out. Default 32.
     */
    public int maxPipelinedRequests() {
        return maxPipelinedRequests;
    }

    /**
     * The largest {@code Content-Length} body a GET or HEAD may carry: it is read and discarded; a larger
     * one answers 413 and closes, as nginx's {@code client_max_body_size}. Default 1 MiB.
     */
    public long maxDiscardedBodyBytes() {
        return maxDiscardedBodyBytes;
    }

    /** Requests served on one connection before it is closed, as nginx's {@code keepalive_requests}. Default 1000. */
    public int keepAliveRequests() {
        return keepAliveRequests;
    }

    /**
     * The most ranges one {@code Range} header may ask for; a request with more is answered with the
     * whole representation (200), as nginx's {@code max_ranges}. Default 64.
     */
    public int maxRanges() {
        return maxRanges;
    }

    /** Open files kept per loop (nginx's {@code open_file_cache max}); 0 turns the cache off. Default 10,000. */
    public int openFileCacheEntries() {
        return openFileCacheEntries;
    }

    /**
     * Open files up to this size are read into memory once (asynchronously, after their first response)
     * and then sent copied behind their head, in the same {@code sendmsg}, instead of by {@code sendfile};
     * each loop keeps at most 64 MiB of them, least recently used first out, for as long as the open-file
     * cache trusts the file. 0 turns it off. Default 16 KiB.
     */
    public int smallFileBytes() {
        return smallFileBytes;
    }

    /** How long a cached file is trusted before it is looked up again. Default 60 s. */
    public Duration openFileCacheValidity() {
        return openFileCacheValidity;
    }

    /**
     * Threads that run the blocking part of a lookup (realpath, stat, open, reading a directory) off the
     * loops. Default 4.
     */
    public int fileLookupThreads() {
        return fileLookupThreads;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerOptions other
                && root.equals(other.root) && bindHost.equals(other.bindHost) && port == other.port
                && loops == other.loops && directIoThreshold == other.directIoThreshold
                && Objects.equals(accessLog, other.accessLog) && listing == other.listing
                && dotfiles == other.dotfiles && headerReadTimeout.equals(other.headerReadTimeout)
                && keepAliveTimeout.equals(other.keepAliveTimeout) && sendTimeout.equals(other.sendTimeout)
                && lingeringTimeout.equals(other.lingeringTimeout) && shutdownTimeout.equals(other.shutdownTimeout)
                && mechanism == other.mechanism
                && maxConnections == other.maxConnections && maxHeaderBytes == other.maxHeaderBytes
                && maxTargetBytes == other.maxTargetBytes && maxPipelinedRequests == other.maxPipelinedRequests
                && maxDiscardedBodyBytes == other.maxDiscardedBodyBytes
                && keepAliveRequests == other.keepAliveRequests && maxRanges == other.maxRanges
                && openFileCacheEntries == other.openFileCacheEntries && smallFileBytes == other.smallFileBytes
                && openFileCacheValidity.equals(other.openFileCacheValidity)
                && fileLookupThreads == other.fileLookupThreads;
    }

    @Override
    public int hashCode() {
        return Objects.hash(root, bindHost, port, loops, directIoThreshold, accessLog, listing, dotfiles,
                headerReadTimeout, keepAliveTimeout, sendTimeout, lingeringTimeout, shutdownTimeout, mechanism,
                maxConnections, maxHeaderBytes, maxTargetBytes,
                maxPipelinedRequests, maxDiscardedBodyBytes, keepAliveRequests, maxRanges, openFileCacheEntries,
                smallFileBytes, openFileCacheValidity, fileLookupThreads);
    }

    @Override
    public String toString() {
        return "ServerOptions[root=" + root + ", bind=" + bindHost + ":" + port + ", loops=" + loops
                + ", directIoThreshold=" + directIoThreshold + ", accessLog=" + accessLog + ", listing=" + listing
                + ", dotfiles=" + dotfiles + ", headerReadTimeout=" + headerReadTimeout
                + ", keepAliveTimeout=" + keepAliveTimeout + ", sendTimeout=" + sendTimeout
                + ", lingeringTimeout=" + lingeringTimeout + ", shutdownTimeout=" + shutdownTimeout
                + ", mechanism=" + mechanism
                + ", maxConnections=" + maxConnections + ", maxHeaderBytes=" + maxHeaderBytes
                + ", maxTargetBytes=" + maxTargetBytes + ", maxPipelinedRequests=" + maxPipelinedRequests
                + ", maxDiscardedBodyBytes=" + maxDiscardedBodyBytes + ", keepAliveRequests=" + keepAliveRequests
                + ", maxRanges=" + maxRanges + ", openFileCacheEntries=" + openFileCacheEntries
                + ", smallFileBytes=" + smallFileBytes
                + ", openFileCacheValidity=" + openFileCacheValidity + ", fileLookupThreads=" + fileLookupThreads + "]";
    }

    /**
     * Collects settings for a {@link ServerOptions}.
     *
     * <p><b>Not thread-safe</b>: one thread builds. Each setter checks its value at once.
     */
    public static final class Builder {
        private Path root;
        private String bindHost = "127.0.0.1";
        private int port = 8080;
        private int loops = Runtime.getRuntime().availableProcessors();
        private long directIoThreshold;
        private Path accessLog;
        private boolean listing;
        private Dotfiles dotfiles = Dotfiles.HIDDEN;
        private Duration headerReadTimeout = Duration.ofSeconds(30);
        private Duration keepAliveTimeout = Duration.ofSeconds(60);
        private Duration sendTimeout = Duration.ofSeconds(60);
        private Duration lingeringTimeout = Duration.ofSeconds(5);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private NetMechanism mechanism = NetMechanism.fromSystemProperty();
        private int maxConnections = 10_000;
        private int maxHeaderBytes = 16 * 1024;
        private int maxTargetBytes = 8 * 1024;
        private int maxPipelinedRequests = 32;
        private long maxDiscardedBodyBytes = 1024 * 1024;
        private int keepAliveRequests = 1000;
        private int maxRanges = 64;
        private int openFileCacheEntries = 10_000;
        private int smallFileBytes = 16 * 1024;
        private Duration openFileCacheValidity = Duration.ofSeconds(60);
        private int fileLookupThreads = 4;

        private Builder(Path root) {
            root(root);
        }

        private Builder(ServerOptions o) {
            root = o.root;
            bindHost = o.bindHost;
            port = o.port;
            loops = o.loops;
            directIoThreshold = o.directIoThreshold;
            accessLog = o.accessLog;
            listing = o.listing;
            dotfiles = o.dotfiles;
            headerReadTimeout = o.headerReadTimeout;
            keepAliveTimeout = o.keepAliveTimeout;
            sendTimeout = o.sendTimeout;
            lingeringTimeout = o.lingeringTimeout;
            shutdownTimeout = o.shutdownTimeout;
            mechanism = o.mechanism;
            maxConnections = o.maxConnections;
            maxHeaderBytes = o.maxHeaderBytes;
            maxTargetBytes = o.maxTargetBytes;
            maxPipelinedRequests = o.maxPipelinedRequests;
            maxDiscardedBodyBytes = o.maxDiscardedBodyBytes;
            keepAliveRequests = o.keepAliveRequests;
            maxRanges = o.maxRanges;
            openFileCacheEntries = o.openFileCacheEntries;
            smallFileBytes = o.smallFileBytes;
            openFileCacheValidity = o.openFileCacheValidity;
            fileLookupThreads = o.fileLookupThreads;
        }

        public Builder root(Path root) {
            this.root = Objects.requireNonNull(root, "root");
            return this;
        }

        public Builder bindHost(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("bindHost must name an address such as 127.0.0.1, ::1 or 0.0.0.0, was blank");
            }
            this.bindHost = host;
            return this;
        }

        public Builder port(int port) {
            this.port = (int) range("port", port, 0, 65535);
            return this;
        }

        public Builder loops(int loops) {
            this.loops = (int) range("loops", loops, 1, 1024);
            return this;
        }

        /** Bytes; 0 turns direct I/O off. */
        public Builder directIoThreshold(long bytes) {
            this.directIoThreshold = range("directIoThreshold", bytes, 0, Long.MAX_VALUE);
            return this;
        }

        /** The access log's path, or null for none. */
        public Builder accessLog(Path path) {
            this.accessLog = path;
            return this;
        }

        public Builder listing(boolean listing) {
            this.listing = listing;
            return this;
        }

        public Builder dotfiles(Dotfiles dotfiles) {
            this.dotfiles = Objects.requireNonNull(dotfiles, "dotfiles");
            return this;
        }

        public Builder headerReadTimeout(Duration timeout) {
            this.headerReadTimeout = positive("headerReadTimeout", timeout);
            return this;
        }

        public Builder keepAliveTimeout(Duration timeout) {
            this.keepAliveTimeout = positive("keepAliveTimeout", timeout);
            return this;
        }

        public Builder sendTimeout(Duration timeout) {
            this.sendTimeout = positive("sendTimeout", timeout);
            return this;
        }

        public Builder lingeringTimeout(Duration timeout) {
            this.lingeringTimeout = positive("lingeringTimeout", timeout);
            return this;
        }

        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = positive("shutdownTimeout", timeout);
            return this;
        }

        /** Which socket mechanism serves the connections; one this host lacks is refused when the server starts. */
        public Builder mechanism(NetMechanism mechanism) {
            this.mechanism = Objects.requireNonNull(mechanism, "mechanism");
            return this;
        }

        public Builder maxConnections(int connections) {
            this.maxConnections = (int) range("maxConnections", connections, 1, 10_000_000);
            return this;
        }

        /** From 1 KiB to 1 MiB. */
        public Builder maxHeaderBytes(int bytes) {
            this.maxHeaderBytes = (int) range("maxHeaderBytes", bytes, 1024, 1024 * 1024);
            return this;
        }

        /** From 16 bytes to 1 MiB, and below {@link #maxHeaderBytes(int)} (checked by {@link #build()}). */
        public Builder maxTargetBytes(int bytes) {
            this.maxTargetBytes = (int) range("maxTargetBytes", bytes, 16, 1024 * 1024);
            return this;
        }

        public Builder maxPipelinedRequests(int requests) {
            this.maxPipelinedRequests = (int) range("maxPipelinedRequests", requests, 1, 1024);
            return this;
        }

        public Builder maxDiscardedBodyBytes(long bytes) {
            this.maxDiscardedBodyBytes = range("maxDiscardedBodyBytes", bytes, 0, Long.MAX_VALUE);
            return this;
        }

        public Builder keepAliveRequests(int requests) {
            this.keepAliveRequests = (int) range("keepAliveRequests", requests, 1, Integer.MAX_VALUE);
            return this;
        }

        public Builder maxRanges(int ranges) {
            this.maxRanges = (int) range("maxRanges", ranges, 1, 10_000);
            return this;
        }

        /** 0 turns the open-file cache off. */
        public Builder openFileCacheEntries(int entries) {
            this.openFileCacheEntries = (int) range("openFileCacheEntries", entries, 0, 10_000_000);
            return this;
        }

        /** From 0 (off) to 1 MiB. */
        public Builder smallFileBytes(int bytes) {
            this.smallFileBytes = (int) range("smallFileBytes", bytes, 0, 1024 * 1024);
            return this;
        }

        /** Zero means every request looks its file up again. */
        public Builder openFileCacheValidity(Duration validity) {
            Objects.requireNonNull(validity, "validity");
            if (validity.isNegative()) {
                throw new IllegalArgumentException("openFileCacheValidity must be zero or positive, was " + validity);
            }
            this.openFileCacheValidity = validity;
            return this;
        }

        public Builder fileLookupThreads(int threads) {
            this.fileLookupThreads = (int) range("fileLookupThreads", threads, 1, 1024);
            return this;
        }

        /**
         * The value. Any thread that owns the builder.
         *
         * @throws IllegalArgumentException when {@code maxTargetBytes} does not leave room in
         *                                  {@code maxHeaderBytes} for the rest of the request line
         */
        public ServerOptions build() {
            if (maxTargetBytes > maxHeaderBytes - 32) {
                throw new IllegalArgumentException("maxTargetBytes (" + maxTargetBytes + ") must be at least 32 below"
                        + " maxHeaderBytes (" + maxHeaderBytes + "): the request line, method and version included,"
                        + " is part of the request head");
            }
            return new ServerOptions(this);
        }

        private static long range(String name, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
