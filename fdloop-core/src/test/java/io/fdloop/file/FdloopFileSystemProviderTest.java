package io.fdloop.file;

import io.fdloop.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An unmodified application run with {@code -Djava.nio.file.spi.DefaultFileSystemProvider} set to
 * fdloop's provider: its {@code AsynchronousFileChannel}s are fdloop's, and everything else it does
 * with files works as before.
 */
class FdloopFileSystemProviderTest {
    @TempDir
    Path dir;

    @Test
    void shouldRunHandlersOnTheJdksDefaultPoolWhenItsPropertiesConfigureOne() throws Exception {
        List<String> output = runChild(DefaultPoolChild.class,
                "-Djava.nio.channels.DefaultThreadPool.threadFactory=" + DefaultPoolChild.Factory.class.getName(),
                dir.resolve("pooled.bin").toString());
        assertEquals(List.of("handler ran on configured-pool", "channel FdloopAsyncChannel"), output);
    }

    private static List<String> runChild(Class<?> main, String property, String argument) throws Exception {
        ChildJvm.Output child = ChildJvm.run(main, List.of(
                "-Djava.nio.file.spi.DefaultFileSystemProvider=" + FdloopFileSystemProvider.class.getName(), property),
                null, argument);
        assertEquals(0, child.exitCode(), child.toString());
        return child.lines();
    }

    @Test
    void shouldGiveAnUnmodifiedApplicationFdloopChannelsAndLeaveTheRestAlone() throws Exception {
        List<String> output = runChild(ProviderChild.class, "-Dfdloop.test=provider", dir.toString());
        assertEquals(List.of(
                "provider io.fdloop.file.FdloopFileSystemProvider",
                "channel io.fdloop.internal.channel.FdloopAsyncChannel",
                "wrote 13",
                "read 13 hello, fdloop",
                "size 13",
                "permissions rw-------",
                "file channel size 13",
                "lines [line one, line two]",
                "walk [, data.bin, moved.bin, private.bin, sub, sub/deeper, text.txt]",
                "glob [data.bin, moved.bin, private.bin]",
                "matcher true",
                "exists true false",
                "real true",
                "file 18",
                "OK"), output);
    }
}
