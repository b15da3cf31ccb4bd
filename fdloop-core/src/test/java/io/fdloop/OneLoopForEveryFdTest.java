package io.fdloop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One loop for every kind of fd, end to end: a child JVM runs one loop that receives AIO completions, a pipe, a
 * timer, a user EventFd and a real SIGTERM sent with kill(1); its handler runs on the loop thread
 * and the child exits 0.
 */
class OneLoopForEveryFdTest {
    @TempDir
    Path dir;

    @Test
    void shouldDispatchAioPipeTimerEventFdAndSignalOnOneLoopThread() throws Exception {
        ChildJvm.Output child = ChildJvm.run(OneLoopForEveryFdChild.class, List.of(), "WAITING-FOR-SIGNAL",
                dir.resolve("disk.dat").toString());
        assertEquals(0, child.exitCode(), child.toString());
        assertTrue(child.lines().contains("SIGTERM handled on main"), child.toString());
        assertTrue(child.lines().stream().anyMatch(l -> l.startsWith("seen [AIO, PIPE, TIMER, EVENTFD, SIGNAL], all on the loop thread")),
                child.toString());
    }
}
