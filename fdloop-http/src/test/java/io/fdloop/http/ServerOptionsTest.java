package io.fdloop.http;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerOptionsTest {
    @Test
    void shouldHaveSaneDefaults() {
        ServerOptions o = ServerOptions.builder(Path.of("/srv/www")).build();
        assertEquals(Path.of("/srv/www"), o.root());
        assertEquals("127.0.0.1", o.bindHost());
        assertEquals(8080, o.port());
        assertEquals(Runtime.getRuntime().availableProcessors(), o.loops());
        assertEquals(0, o.directIoThreshold());
        assertTrue(o.accessLog().isEmpty());
        assertFalse(o.listing());
        assertEquals(ServerOptions.Dotfiles.HIDDEN, o.dotfiles());
        assertEquals(Duration.ofSeconds(30), o.headerReadTimeout());
        assertEquals(Duration.ofSeconds(60), o.keepAliveTimeout());
        assertEquals(Duration.ofSeconds(60), o.sendTimeout());
        assertEquals(Duration.ofSeconds(5), o.lingeringTimeout());
        assertEquals(Duration.ofSeconds(30), o.shutdownTimeout());
        assertEquals(io.fdloop.net.NetMechanism.AUTO, o.mechanism());
        assertEquals(10_000, o.maxConnections());
        assertEquals(16 * 1024, o.maxHeaderBytes());
        assertEquals(8 * 1024, o.maxTargetBytes());
        assertEquals(32, o.maxPipelinedRequests());
        assertEquals(1024 * 1024, o.maxDiscardedBodyBytes());
        assertEquals(1000, o.keepAliveRequests());
        assertEquals(64, o.maxRanges());
        assertEquals(10_000, o.openFileCacheEntries());
        assertEquals(Duration.ofSeconds(60), o.openFileCacheValidity());
        assertEquals(4, o.fileLookupThreads());
    }

    @Test
    void shouldBeAValue() {
        ServerOptions a = ServerOptions.builder(Path.of("/r")).port(9000).listing(true).build();
        ServerOptions b = a.toBuilder().build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, a.toBuilder().port(9001).build());
        assertNotEquals(a, a.toBuilder().mechanism(io.fdloop.net.NetMechanism.EPOLL).build());
        assertNotEquals(a, a.toBuilder().lingeringTimeout(Duration.ofSeconds(1)).build());
        assertTrue(a.toString().contains("bind=127.0.0.1:9000"), a.toString());
        assertEquals(Path.of("/l"), a.toBuilder().accessLog(Path.of("/l")).build().accessLog().orElseThrow());
    }

    @Test
    void shouldRefuseValuesOutOfRangeSayingWhatIsAllowed() {
        ServerOptions.Builder b = ServerOptions.builder(Path.of("/r"));
        assertEquals("port must be between 0 and 65535, was 70000",
                assertThrows(IllegalArgumentException.class, () -> b.port(70000)).getMessage());
        assertEquals("loops must be between 1 and 1024, was 0",
                assertThrows(IllegalArgumentException.class, () -> b.loops(0)).getMessage());
        assertEquals("headerReadTimeout must be positive, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> b.headerReadTimeout(Duration.ZERO)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.maxHeaderBytes(100));
        assertEquals("shutdownTimeout must be positive, was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> b.shutdownTimeout(Duration.ofSeconds(-1))).getMessage());
        assertThrows(NullPointerException.class, () -> b.mechanism(null));
        assertThrows(IllegalArgumentException.class, () -> b.directIoThreshold(-1));
        assertThrows(IllegalArgumentException.class, () -> b.bindHost(" "));
        assertThrows(IllegalArgumentException.class, () -> b.openFileCacheValidity(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> ServerOptions.builder(null));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.builder(Path.of("/r")).maxHeaderBytes(4096).maxTargetBytes(4090).build());
        assertTrue(tooLong.getMessage().startsWith("maxTargetBytes (4090) must be at least 32 below maxHeaderBytes (4096)"),
                tooLong.getMessage());
    }
}
