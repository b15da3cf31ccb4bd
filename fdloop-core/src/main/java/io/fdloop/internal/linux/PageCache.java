package io.fdloop.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Whether a file range is in the page cache, so that {@code sendfile(2)} (which blocks on a page-cache
 * miss even on a non-blocking socket) may run on a loop thread: cachestat(2) (Linux 6.5) counts the
 * cached pages of a range; where it is missing, a {@code preadv2(RWF_NOWAIT)} read copies the resident
 * prefix of the range without waiting for the disk.
 * <pre>
 * struct cachestat_range (16 bytes)    struct cachestat (40 bytes)
 *  0        8        16                 0         8         16            24          32                 40
 *  +--------+--------+                  +---------+---------+-------------+-----------+------------------+
 *  |  off   |  len   |                  |nr_cache |nr_dirty |nr_writeback |nr_evicted |nr_recently_evicted|
 *  +--------+--------+                  +---------+---------+-------------+-----------+------------------+
 * </pre>
 *
 * <p><b>Not thread-safe</b>: one instance per loop, which owns its two small structs.
 */
public final class PageCache {
    public static final long RANGE_SIZE = 16, RANGE_OFF = 0, RANGE_LEN = 8;
    public static final long STAT_SIZE = 40, NR_CACHE = 0, NR_DIRTY = 8, NR_WRITEBACK = 16, NR_EVICTED = 24,
            NR_RECENTLY_EVICTED = 32;
    /** preadv2 flag: fail with EAGAIN rather than wait for the disk ({@code linux/fs.h}). */
    public static final int RWF_NOWAIT = 0x8;
    /** The size of a page of memory, and of the page cache's unit. */
    public static final long PAGE_SIZE = pageSize();

    private final Syscalls syscalls;
    private final MemorySegment range;
    private final MemorySegment stat;
    private volatile boolean cachestatMissing;

    public PageCache(Syscalls syscalls, Arena arena) {
        this.syscalls = syscalls;
        this.range = arena.allocate(RANGE_SIZE, 8);
        this.stat = arena.allocate(STAT_SIZE, 8);
    }

    /** Whether this kernel has cachestat(2); false after it answered ENOSYS (or refused the file). */
    public boolean hasCachestat() {
        return !cachestatMissing;
    }

    /**
     * Whether every page of {@code [offset, offset + length)} of {@code fd} is cached: 1 yes, 0 no, -1 when
     * cachestat cannot tell (then {@link #readNowait} is the test).
     */
    public int resident(int fd, long offset, long length) {
        if (cachestatMissing || length <= 0) {
            return length <= 0 ? 1 : -1;
        }
        range.set(JAVA_LONG, RANGE_OFF, offset);
        range.set(JAVA_LONG, RANGE_LEN, length);
        int r = syscalls.cachestat(fd, range, stat, 0);
        if (r < 0) {
            if (r == -Errno.ENOSYS || r == -Errno.EOPNOTSUPP || r == -Errno.EPERM) {
                cachestatMissing = true; // seccomp may answer EPERM for an unknown syscall
            }
            return -1;
        }
        long first = offset / PAGE_SIZE;
        long last = (offset + length - 1) / PAGE_SIZE;
        return stat.get(JAVA_LONG, NR_CACHE) >= last - first + 1 ? 1 : 0;
    }

    /**
     * Reads what of {@code [offset, offset + length)} is resident into {@code address} without waiting:
     * the bytes read, {@code -EAGAIN} when the first page is not cached, another {@code -errno}.
     */
    public long readNowait(int fd, long address, long length, long offset, MemorySegment iovec) {
        Msghdr.setIovec(iovec, 0, address, length);
        while (true) {
            long n = syscalls.preadv2(fd, iovec.address(), 1, offset, RWF_NOWAIT);
            if (n != -Errno.EINTR) {
                return n;
            }
        }
    }

    private static long pageSize() {
        Linker linker = Linker.nativeLinker();
        MethodHandle getpagesize = linker.downcallHandle(linker.defaultLookup().find("getpagesize").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT));
        try {
            return (int) getpagesize.invokeExact();
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }
}
