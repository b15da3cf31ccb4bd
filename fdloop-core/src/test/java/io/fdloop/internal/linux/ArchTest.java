package io.fdloop.internal.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every value in {@link Arch} for both architectures, and the struct layouts and constants the
 * bindings use: first as literals copied from the kernel sources (these run everywhere), then
 * against the installed UAPI headers where they exist, then against the running kernel.
 */
class ArchTest {
    private static final Path X86_64_UNISTD = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
    private static final Path X86_64_FCNTL = Path.of("/usr/include/x86_64-linux-gnu/asm/fcntl.h");
    private static final Path GENERIC_UNISTD = Path.of("/usr/include/asm-generic/unistd.h");
    private static final Path GENERIC_FCNTL = Path.of("/usr/include/asm-generic/fcntl.h");
    private static final Path EVENTPOLL = Path.of("/usr/include/linux/eventpoll.h");
    private static final Path AIO_ABI = Path.of("/usr/include/linux/aio_abi.h");
    private static final Path STAT = Path.of("/usr/include/linux/stat.h");
    private static final Path LINUX_FCNTL = Path.of("/usr/include/linux/fcntl.h");
    private static final Path LINUX_FS = Path.of("/usr/include/linux/fs.h");
    private static final Path LINUX_TIME = Path.of("/usr/include/linux/time.h");
    private static final Path TIMERFD = Path.of("/usr/include/linux/timerfd.h");
    private static final Path X86_64_SOCKET = Path.of("/usr/include/x86_64-linux-gnu/asm/socket.h");
    private static final Path GENERIC_SOCKET = Path.of("/usr/include/asm-generic/socket.h");
    private static final Path GLIBC_SOCKET = Path.of("/usr/include/x86_64-linux-gnu/bits/socket.h");
    private static final Path GLIBC_SOCKET_TYPE = Path.of("/usr/include/x86_64-linux-gnu/bits/socket_type.h");
    private static final Path LINUX_TCP = Path.of("/usr/include/linux/tcp.h");
    private static final Path LINUX_IN = Path.of("/usr/include/linux/in.h");
    private static final Path LINUX_IN6 = Path.of("/usr/include/linux/in6.h");
    private static final Path GENERIC_ERRNO_BASE = Path.of("/usr/include/asm-generic/errno-base.h");
    private static final Path GENERIC_ERRNO = Path.of("/usr/include/asm-generic/errno.h");
    private static final Path IO_URING = Path.of("/usr/include/linux/io_uring.h");
    private static final Path GLIBC_FCNTL = Path.of("/usr/include/x86_64-linux-gnu/bits/fcntl-linux.h");
    /** Syscalls newer than the installed headers may be: checked against the running kernel instead. */
    private static final java.util.Set<String> NEWER_THAN_SOME_HEADERS = java.util.Set.of("cachestat");

    /** Syscall number of each {@link Arch.SyscallNumbers} component, from {@code syscall_64.tbl}. */
    private static final Map<String, Integer> X86_64_SYSCALLS = ordered(
            "ioSetup", 206, "ioDestroy", 207, "ioSubmit", 209, "ioGetevents", 208,
            "ioUringSetup", 425, "ioUringEnter", 426, "ioUringRegister", 427, "cachestat", 451);

    /** The same from {@code include/uapi/asm-generic/unistd.h}. */
    private static final Map<String, Integer> AARCH64_SYSCALLS = ordered(
            "ioSetup", 0, "ioDestroy", 1, "ioSubmit", 2, "ioGetevents", 4,
            "ioUringSetup", 425, "ioUringEnter", 426, "ioUringRegister", 427, "cachestat", 451);

    @TempDir
    Path dir;

    // ---- literals from the kernel sources: run everywhere ------------------------------

    @Test
    void shouldListExactlyTheTwoSupportedArchitectures() {
        assertArrayEquals(new Arch[] {Arch.X86_64, Arch.AARCH64}, Arch.values());
        assertSame(Arch.X86_64, Arch.forOsArch("amd64"));
        assertSame(Arch.X86_64, Arch.forOsArch("x86_64"));
        assertSame(Arch.AARCH64, Arch.forOsArch("aarch64"));
        assertThrows(UnsupportedOperationException.class, () -> Arch.forOsArch("riscv64"));
        assertSame(Arch.forOsArch(System.getProperty("os.arch")), Arch.current());
    }

    @Test
    void shouldHaveX86_64SyscallNumbersFromSyscallTable() throws Exception {
        assertSyscalls(X86_64_SYSCALLS, Arch.X86_64);
    }

    @Test
    void shouldHaveAarch64SyscallNumbersFromGenericTable() throws Exception {
        assertSyscalls(AARCH64_SYSCALLS, Arch.AARCH64);
    }

    @Test
    void shouldHaveX86_64OpenFlagsFromGenericFcntl() {
        assertEquals(00040000, Arch.X86_64.oDirect());
        assertEquals(00200000, Arch.X86_64.oDirectory());
        assertEquals(00400000, Arch.X86_64.oNofollow());
    }

    @Test
    void shouldHaveAarch64OpenFlagsFromArm64Fcntl() {
        // arch/arm64/include/uapi/asm/fcntl.h overrides these four (O_LARGEFILE 0400000 is the fourth).
        assertEquals(0200000, Arch.AARCH64.oDirect());
        assertEquals(040000, Arch.AARCH64.oDirectory());
        assertEquals(0100000, Arch.AARCH64.oNofollow());
    }

    @Test
    void shouldHaveCommonOpenFlags() {
        assertEquals(0, Arch.O_RDONLY);
        assertEquals(1, Arch.O_WRONLY);
        assertEquals(2, Arch.O_RDWR);
        assertEquals(00000100, Arch.O_CREAT);
        assertEquals(00000200, Arch.O_EXCL);
        assertEquals(00001000, Arch.O_TRUNC);
        assertEquals(00002000, Arch.O_APPEND);
        assertEquals(00004000, Arch.O_NONBLOCK);
        assertEquals(04010000, Arch.O_SYNC); // __O_SYNC | O_DSYNC
        assertEquals(00010000, Arch.O_DSYNC);
        assertEquals(02000000, Arch.O_CLOEXEC);
    }

    @Test
    void shouldHaveEpollEventLayoutPerArchitecture() {
        assertEquals(12, Arch.X86_64.epollEventSize(), "packed on x86_64");
        assertEquals(4, Arch.X86_64.epollEventDataOffset());
        assertEquals(16, Arch.AARCH64.epollEventSize(), "natural alignment on aarch64");
        assertEquals(8, Arch.AARCH64.epollEventDataOffset());
    }

    @Test
    void shouldLayEpollEventsOutWithTheArchitectureStride() {
        try (Arena arena = Arena.ofConfined()) {
            for (Arch arch : Arch.values()) {
                EpollEvents events = new EpollEvents(arena, 3, arch);
                assertEquals(3, events.capacity());
                assertEquals(3L * arch.epollEventSize(), events.segment().byteSize());
                events.set(1, 0x2001, 0x1122334455667788L);
                assertEquals(0x2001, events.segment().get(JAVA_INT, arch.epollEventSize()));
                assertEquals(0x1122334455667788L, events.segment().get(JAVA_LONG.withByteAlignment(1),
                        arch.epollEventSize() + arch.epollEventDataOffset()));
                assertEquals(0x2001, events.events(1));
                assertEquals(0x1122334455667788L, events.data(1));
                assertEquals(0, events.events(0));
                assertEquals(0, events.events(2));
            }
        }
    }

    @Test
    void shouldHaveEpollConstants() {
        assertEquals(0x001, EpollEvents.EPOLLIN);
        assertEquals(0x004, EpollEvents.EPOLLOUT);
        assertEquals(0x008, EpollEvents.EPOLLERR);
        assertEquals(0x010, EpollEvents.EPOLLHUP);
        assertEquals(0x2000, EpollEvents.EPOLLRDHUP);
        assertEquals(0x8000_0000, EpollEvents.EPOLLET);
        assertEquals(1, EpollEvents.EPOLL_CTL_ADD);
        assertEquals(2, EpollEvents.EPOLL_CTL_DEL);
        assertEquals(3, EpollEvents.EPOLL_CTL_MOD);
    }

    @Test
    void shouldHaveIocbLayoutFromAioAbi() {
        assertEquals(64, Iocb.SIZE);
        assertEquals(0, Iocb.DATA);
        assertEquals(8, Iocb.KEY);
        assertEquals(12, Iocb.RW_FLAGS);
        assertEquals(16, Iocb.OPCODE);
        assertEquals(18, Iocb.REQPRIO);
        assertEquals(20, Iocb.FILDES);
        assertEquals(24, Iocb.BUF);
        assertEquals(32, Iocb.NBYTES);
        assertEquals(40, Iocb.OFFSET);
        assertEquals(48, Iocb.RESERVED2);
        assertEquals(56, Iocb.FLAGS);
        assertEquals(60, Iocb.RESFD);
        assertEquals(0, Iocb.IOCB_CMD_PREAD);
        assertEquals(1, Iocb.IOCB_CMD_PWRITE);
        assertEquals(2, Iocb.IOCB_CMD_FSYNC);
        assertEquals(3, Iocb.IOCB_CMD_FDSYNC);
        assertEquals(5, Iocb.IOCB_CMD_POLL);
        assertEquals(6, Iocb.IOCB_CMD_NOOP);
        assertEquals(7, Iocb.IOCB_CMD_PREADV);
        assertEquals(8, Iocb.IOCB_CMD_PWRITEV);
        assertEquals(1, Iocb.IOCB_FLAG_RESFD);
        assertEquals(0x8, Iocb.RWF_NOWAIT);
    }

    @Test
    void shouldFillEveryIocbFieldAndClearTheReservedOnes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment iocbs = arena.allocate(2 * Iocb.SIZE, 8);
            iocbs.fill((byte) 0x5a);
            Iocb.fill(iocbs, Iocb.SIZE, 0x0102030405060708L, Iocb.IOCB_CMD_PWRITE, 7, 0x1000L, 4096, 8192, 9);
            assertEquals(0x5a5a5a5a5a5a5a5aL, iocbs.get(JAVA_LONG, 0), "the iocb before is untouched");
            long at = Iocb.SIZE;
            assertEquals(0x0102030405060708L, iocbs.get(JAVA_LONG, at + Iocb.DATA));
            assertEquals(0, iocbs.get(JAVA_INT, at + Iocb.KEY));
            assertEquals(0, iocbs.get(JAVA_INT, at + Iocb.RW_FLAGS));
            assertEquals(Iocb.IOCB_CMD_PWRITE, iocbs.get(JAVA_SHORT, at + Iocb.OPCODE));
            assertEquals(0, iocbs.get(JAVA_SHORT, at + Iocb.REQPRIO));
            assertEquals(7, iocbs.get(JAVA_INT, at + Iocb.FILDES));
            assertEquals(0x1000L, iocbs.get(JAVA_LONG, at + Iocb.BUF));
            assertEquals(4096L, iocbs.get(JAVA_LONG, at + Iocb.NBYTES));
            assertEquals(8192L, iocbs.get(JAVA_LONG, at + Iocb.OFFSET));
            assertEquals(0L, iocbs.get(JAVA_LONG, at + Iocb.RESERVED2));
            assertEquals(Iocb.IOCB_FLAG_RESFD, iocbs.get(JAVA_INT, at + Iocb.FLAGS));
            assertEquals(9, iocbs.get(JAVA_INT, at + Iocb.RESFD));
        }
    }

    @Test
    void shouldHaveIoEventAndAioRingHeaderLayout() {
        assertEquals(32, IoEvent.SIZE);
        assertEquals(0, IoEvent.DATA);
        assertEquals(8, IoEvent.OBJ);
        assertEquals(16, IoEvent.RES);
        assertEquals(24, IoEvent.RES2);
        assertEquals(0, AioRingHeader.ID);
        assertEquals(4, AioRingHeader.NR);
        assertEquals(8, AioRingHeader.HEAD);
        assertEquals(12, AioRingHeader.TAIL);
        assertEquals(16, AioRingHeader.MAGIC);
        assertEquals(20, AioRingHeader.COMPAT_FEATURES);
        assertEquals(24, AioRingHeader.INCOMPAT_FEATURES);
        assertEquals(28, AioRingHeader.HEADER_LENGTH);
        assertEquals(32, AioRingHeader.SIZE);
        assertEquals(0xa10a10a1, AioRingHeader.AIO_RING_MAGIC);
    }

    @Test
    void shouldHaveStatxLayoutFromStatH() {
        assertEquals(256, Statx.SIZE);
        assertEquals(0, Statx.MASK);
        assertEquals(4, Statx.BLKSIZE);
        assertEquals(28, Statx.MODE);
        assertEquals(32, Statx.INO);
        assertEquals(40, Statx.SIZE_FIELD);
        assertEquals(128, Statx.RDEV_MAJOR);
        assertEquals(132, Statx.RDEV_MINOR);
        assertEquals(136, Statx.DEV_MAJOR);
        assertEquals(140, Statx.DEV_MINOR);
        assertEquals(152, Statx.DIO_MEM_ALIGN);
        assertEquals(156, Statx.DIO_OFFSET_ALIGN);
        assertEquals(0x1, Statx.STATX_TYPE);
        assertEquals(0x100, Statx.STATX_INO);
        assertEquals(0x200, Statx.STATX_SIZE);
        assertEquals(0x2000, Statx.STATX_DIOALIGN);
        assertEquals(-100, Statx.AT_FDCWD);
        assertEquals(0x1000, Statx.AT_EMPTY_PATH);
        assertEquals(0170000, Statx.S_IFMT);
        assertEquals(0100000, Statx.S_IFREG);
        assertEquals(0060000, Statx.S_IFBLK);
        assertEquals(0020000, Statx.S_IFCHR);
        assertEquals(0040000, Statx.S_IFDIR);
        assertEquals(0010000, Statx.S_IFIFO);
        assertEquals(0140000, Statx.S_IFSOCK);
        assertEquals(0120000, Statx.S_IFLNK);
        assertEquals(3, FileOpen.F_GETFL);
        assertEquals(4, FileOpen.F_SETFL);
    }

    @Test
    void shouldHaveFlockLayoutAndOfdCommandsFromGenericFcntl() {
        assertEquals(32, Flock.SIZE);
        assertEquals(0, Flock.TYPE);
        assertEquals(2, Flock.WHENCE);
        assertEquals(8, Flock.START);
        assertEquals(16, Flock.LEN);
        assertEquals(24, Flock.PID);
        assertEquals(36, Flock.F_OFD_GETLK);
        assertEquals(37, Flock.F_OFD_SETLK);
        assertEquals(38, Flock.F_OFD_SETLKW);
        assertEquals(0, Flock.F_RDLCK);
        assertEquals(1, Flock.F_WRLCK);
        assertEquals(2, Flock.F_UNLCK);
        assertEquals(0, Flock.SEEK_SET);
    }

    @Test
    void shouldFillEveryFlockFieldAndClearThePadding() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flock = arena.allocate(Flock.SIZE, 8);
            flock.fill((byte) 0xff);
            Flock.fill(flock, Flock.F_WRLCK, 0x0102030405060708L, 0x1112131415161718L);
            assertEquals(Flock.F_WRLCK, flock.get(JAVA_SHORT, Flock.TYPE));
            assertEquals(Flock.SEEK_SET, flock.get(JAVA_SHORT, Flock.WHENCE));
            assertEquals(0, flock.get(JAVA_INT, 4), "padding");
            assertEquals(0x0102030405060708L, flock.get(JAVA_LONG, Flock.START));
            assertEquals(0x1112131415161718L, flock.get(JAVA_LONG, Flock.LEN));
            assertEquals(0, flock.get(JAVA_INT, Flock.PID), "l_pid must be 0 for OFD locks");
            assertEquals(0, flock.get(JAVA_INT, 28), "padding");
        }
    }

    @Test
    void shouldHaveTimespecLayoutAndSplitNanos() {
        assertEquals(16, Timespec.SIZE);
        assertEquals(32, Timespec.ITIMERSPEC_SIZE);
        assertEquals(0, Timespec.ITIMERSPEC_INTERVAL);
        assertEquals(16, Timespec.ITIMERSPEC_VALUE);
        assertEquals(1, Timespec.CLOCK_MONOTONIC);
        assertEquals(1, Timespec.TFD_TIMER_ABSTIME);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment spec = arena.allocate(Timespec.ITIMERSPEC_SIZE, 8);
            Timespec.set(spec, Timespec.ITIMERSPEC_VALUE, 1_234_567_890_123L);
            assertEquals(1234L, spec.get(JAVA_LONG, 16), "tv_sec");
            assertEquals(567_890_123L, spec.get(JAVA_LONG, 24), "tv_nsec");
            assertEquals(1_234_567_890_123L, Timespec.nanos(spec, Timespec.ITIMERSPEC_VALUE));
        }
    }

    // ---- the installed UAPI headers, where present -------------------------------------

    @Test
    void shouldMatchX86_64SyscallHeader() throws Exception {
        assumeTrue(Files.exists(X86_64_UNISTD), X86_64_UNISTD + " is not installed");
        Map<String, Long> defines = defines(X86_64_UNISTD);
        Map<String, Integer> fromHeader = new LinkedHashMap<>();
        for (String component : X86_64_SYSCALLS.keySet()) {
            String symbol = "__NR_" + cName(component, "epoll_wait");
            if (!defines.containsKey(symbol) && NEWER_THAN_SOME_HEADERS.contains(component)) {
                fromHeader.put(component, X86_64_SYSCALLS.get(component)); // headers older than 6.5
                continue;
            }
            assertTrue(defines.containsKey(symbol), symbol + " in " + X86_64_UNISTD);
            fromHeader.put(component, defines.get(symbol).intValue());
        }
        assertSyscalls(fromHeader, Arch.X86_64);
    }

    @Test
    void shouldMatchGenericSyscallHeaderForAarch64() throws Exception {
        assumeTrue(Files.exists(GENERIC_UNISTD), GENERIC_UNISTD + " is not installed");
        Map<String, Long> defines = defines(GENERIC_UNISTD);
        assertFalse(defines.containsKey("__NR_epoll_wait"), "the generic table has no epoll_wait");
        Map<String, Integer> fromHeader = new LinkedHashMap<>();
        for (String component : AARCH64_SYSCALLS.keySet()) {
            String symbol = "__NR_" + cName(component, "epoll_pwait");
            if (!defines.containsKey(symbol) && NEWER_THAN_SOME_HEADERS.contains(component)) {
                fromHeader.put(component, AARCH64_SYSCALLS.get(component)); // headers older than 6.5
                continue;
            }
            assertTrue(defines.containsKey(symbol), symbol + " in " + GENERIC_UNISTD);
            fromHeader.put(component, defines.get(symbol).intValue());
        }
        assertSyscalls(fromHeader, Arch.AARCH64);
    }

    @Test
    void shouldMatchGenericFcntlHeaderForX86_64AndCommonFlags() throws Exception {
        assumeTrue(Files.exists(GENERIC_FCNTL), GENERIC_FCNTL + " is not installed");
        if (Files.exists(X86_64_FCNTL)) {
            // x86_64 overrides nothing: its asm/fcntl.h only includes the generic one.
            assertFalse(defines(X86_64_FCNTL).keySet().stream().anyMatch(name -> name.startsWith("O_")),
                    X86_64_FCNTL + " overrides an O_ flag");
        }
        Map<String, Long> o = defines(GENERIC_FCNTL);
        assertEquals(o.get("O_DIRECT"), (long) Arch.X86_64.oDirect());
        assertEquals(o.get("O_DIRECTORY"), (long) Arch.X86_64.oDirectory());
        assertEquals(o.get("O_NOFOLLOW"), (long) Arch.X86_64.oNofollow());
        assertEquals(o.get("O_RDONLY"), (long) Arch.O_RDONLY);
        assertEquals(o.get("O_WRONLY"), (long) Arch.O_WRONLY);
        assertEquals(o.get("O_RDWR"), (long) Arch.O_RDWR);
        assertEquals(o.get("O_CREAT"), (long) Arch.O_CREAT);
        assertEquals(o.get("O_EXCL"), (long) Arch.O_EXCL);
        assertEquals(o.get("O_TRUNC"), (long) Arch.O_TRUNC);
        assertEquals(o.get("O_APPEND"), (long) Arch.O_APPEND);
        assertEquals(o.get("O_NONBLOCK"), (long) Arch.O_NONBLOCK);
        assertEquals(o.get("O_DSYNC"), (long) Arch.O_DSYNC);
        assertEquals(o.get("O_CLOEXEC"), (long) Arch.O_CLOEXEC);
    }

    @Test
    void shouldMatchEventpollHeader() throws Exception {
        assumeTrue(Files.exists(EVENTPOLL), EVENTPOLL + " is not installed");
        Map<String, Long> d = defines(EVENTPOLL);
        assertEquals(d.get("EPOLLIN"), (long) EpollEvents.EPOLLIN);
        assertEquals(d.get("EPOLLOUT"), (long) EpollEvents.EPOLLOUT);
        assertEquals(d.get("EPOLLERR"), (long) EpollEvents.EPOLLERR);
        assertEquals(d.get("EPOLLHUP"), (long) EpollEvents.EPOLLHUP);
        assertEquals(d.get("EPOLLRDHUP"), (long) EpollEvents.EPOLLRDHUP);
        assertEquals(d.get("EPOLLET"), Integer.toUnsignedLong(EpollEvents.EPOLLET));
        assertEquals(d.get("EPOLL_CTL_ADD"), (long) EpollEvents.EPOLL_CTL_ADD);
        assertEquals(d.get("EPOLL_CTL_DEL"), (long) EpollEvents.EPOLL_CTL_DEL);
        assertEquals(d.get("EPOLL_CTL_MOD"), (long) EpollEvents.EPOLL_CTL_MOD);
    }

    @Test
    void shouldMatchAioAbiHeader() throws Exception {
        assumeTrue(Files.exists(AIO_ABI), AIO_ABI + " is not installed");
        Map<String, Long> d = defines(AIO_ABI);
        assertEquals(d.get("IOCB_CMD_PREAD"), (long) Iocb.IOCB_CMD_PREAD);
        assertEquals(d.get("IOCB_CMD_PWRITE"), (long) Iocb.IOCB_CMD_PWRITE);
        assertEquals(d.get("IOCB_CMD_FSYNC"), (long) Iocb.IOCB_CMD_FSYNC);
        assertEquals(d.get("IOCB_CMD_FDSYNC"), (long) Iocb.IOCB_CMD_FDSYNC);
        assertEquals(d.get("IOCB_CMD_POLL"), (long) Iocb.IOCB_CMD_POLL);
        assertEquals(d.get("IOCB_CMD_NOOP"), (long) Iocb.IOCB_CMD_NOOP);
        assertEquals(d.get("IOCB_CMD_PREADV"), (long) Iocb.IOCB_CMD_PREADV);
        assertEquals(d.get("IOCB_CMD_PWRITEV"), (long) Iocb.IOCB_CMD_PWRITEV);
        assertEquals(d.get("IOCB_FLAG_RESFD"), (long) Iocb.IOCB_FLAG_RESFD);
    }

    @Test
    void shouldMatchStatFcntlFsAndTimeHeaders() throws Exception {
        assumeTrue(Files.exists(STAT) && Files.exists(LINUX_FCNTL) && Files.exists(LINUX_FS)
                && Files.exists(LINUX_TIME) && Files.exists(TIMERFD), "linux UAPI headers are not installed");
        Map<String, Long> stat = defines(STAT);
        assertEquals(stat.get("STATX_TYPE"), (long) Statx.STATX_TYPE);
        assertEquals(stat.get("STATX_SIZE"), (long) Statx.STATX_SIZE);
        assertEquals(stat.get("STATX_INO"), (long) Statx.STATX_INO);
        if (stat.containsKey("STATX_DIOALIGN")) { // headers older than 6.1 lack it
            assertEquals(stat.get("STATX_DIOALIGN"), (long) Statx.STATX_DIOALIGN);
        }
        Map<String, Long> fcntl = defines(LINUX_FCNTL);
        assertEquals(fcntl.get("AT_FDCWD"), (long) Statx.AT_FDCWD);
        assertEquals(fcntl.get("AT_EMPTY_PATH"), (long) Statx.AT_EMPTY_PATH);
        assertEquals(defines(LINUX_FS).get("RWF_NOWAIT"), (long) Iocb.RWF_NOWAIT);
        assertEquals(defines(LINUX_TIME).get("CLOCK_MONOTONIC"), (long) Timespec.CLOCK_MONOTONIC);
        assertEquals(defines(TIMERFD).get("TFD_TIMER_ABSTIME"), (long) Timespec.TFD_TIMER_ABSTIME);
    }

    @Test
    void shouldMatchFlockConstantsInGenericFcntlHeader() throws Exception {
        assumeTrue(Files.exists(GENERIC_FCNTL), "asm-generic UAPI headers are not installed");
        Map<String, Long> d = defines(GENERIC_FCNTL);
        assertEquals(d.get("F_OFD_GETLK"), (long) Flock.F_OFD_GETLK);
        assertEquals(d.get("F_OFD_SETLK"), (long) Flock.F_OFD_SETLK);
        assertEquals(d.get("F_OFD_SETLKW"), (long) Flock.F_OFD_SETLKW);
        assertEquals(d.get("F_RDLCK"), (long) Flock.F_RDLCK);
        assertEquals(d.get("F_WRLCK"), (long) Flock.F_WRLCK);
        assertEquals(d.get("F_UNLCK"), (long) Flock.F_UNLCK);
    }

    @Test
    void shouldHaveSocketConstantsFromTheKernelSources() {
        assertEquals(1, Sockets.AF_UNIX);
        assertEquals(2, Sockets.AF_INET);
        assertEquals(10, Sockets.AF_INET6);
        assertEquals(1, Sockets.SOCK_STREAM);
        assertEquals(Arch.O_NONBLOCK, Sockets.SOCK_NONBLOCK);
        assertEquals(Arch.O_CLOEXEC, Sockets.SOCK_CLOEXEC);
        assertEquals(0, Sockets.SHUT_RD);
        assertEquals(1, Sockets.SHUT_WR);
        assertEquals(2, Sockets.SHUT_RDWR);
        assertEquals(0x40, Sockets.MSG_DONTWAIT);
        assertEquals(0x4000, Sockets.MSG_NOSIGNAL);
        assertEquals(0x8000, Sockets.MSG_MORE);
        assertEquals(1, SocketOptionNumbers.SOL_SOCKET);
        assertEquals(2, SocketOptionNumbers.SO_REUSEADDR);
        assertEquals(4, SocketOptionNumbers.SO_ERROR);
        assertEquals(7, SocketOptionNumbers.SO_SNDBUF);
        assertEquals(8, SocketOptionNumbers.SO_RCVBUF);
        assertEquals(9, SocketOptionNumbers.SO_KEEPALIVE);
        assertEquals(13, SocketOptionNumbers.SO_LINGER);
        assertEquals(15, SocketOptionNumbers.SO_REUSEPORT);
        assertEquals(6, SocketOptionNumbers.IPPROTO_TCP);
        assertEquals(41, SocketOptionNumbers.IPPROTO_IPV6);
        assertEquals(26, SocketOptionNumbers.IPV6_V6ONLY);
        assertEquals(8, SocketOptionNumbers.LINGER_SIZE);
        assertEquals(4, SocketOptionNumbers.LINGER_SECONDS);
    }

    @Test
    void shouldHaveSocketAddressMsghdrAndCachestatLayouts() {
        assertEquals(16, SocketAddresses.IN_SIZE);
        assertEquals(28, SocketAddresses.IN6_SIZE);
        assertEquals(110, SocketAddresses.UN_SIZE);
        assertEquals(2, SocketAddresses.PORT);
        assertEquals(4, SocketAddresses.IN_ADDR);
        assertEquals(8, SocketAddresses.IN6_ADDR);
        assertEquals(24, SocketAddresses.IN6_SCOPE_ID);
        assertEquals(2, SocketAddresses.UN_PATH);
        assertEquals(107, SocketAddresses.UN_PATH_MAX);
        assertEquals(56, Msghdr.SIZE);
        assertEquals(16, Msghdr.IOV);
        assertEquals(24, Msghdr.IOV_LENGTH);
        assertEquals(32, Msghdr.CONTROL);
        assertEquals(40, Msghdr.CONTROL_LENGTH);
        assertEquals(48, Msghdr.FLAGS);
        assertEquals(16, Msghdr.IOVEC_SIZE);
        assertEquals(8, Msghdr.IOVEC_LENGTH);
        assertEquals(16, PageCache.RANGE_SIZE);
        assertEquals(40, PageCache.STAT_SIZE);
        assertEquals(0, PageCache.NR_CACHE);
        assertEquals(32, PageCache.NR_RECENTLY_EVICTED);
        assertEquals(0x8, PageCache.RWF_NOWAIT);
    }

    @Test
    void shouldMatchSocketHeaders() throws Exception {
        assumeTrue(Files.exists(GENERIC_SOCKET) && Files.exists(LINUX_TCP) && Files.exists(LINUX_IN)
                && Files.exists(LINUX_IN6), "linux UAPI socket headers are not installed");
        if (Files.exists(X86_64_SOCKET)) {
            // x86_64 overrides nothing: its asm/socket.h only includes the generic one, which aarch64 uses too.
            assertFalse(defines(X86_64_SOCKET).keySet().stream().anyMatch(name -> name.startsWith("SO_")),
                    X86_64_SOCKET + " overrides a SOL_SOCKET option");
        }
        Map<String, Long> so = defines(GENERIC_SOCKET);
        assertEquals(so.get("SOL_SOCKET"), (long) SocketOptionNumbers.SOL_SOCKET);
        assertEquals(so.get("SO_REUSEADDR"), (long) SocketOptionNumbers.SO_REUSEADDR);
        assertEquals(so.get("SO_TYPE"), (long) SocketOptionNumbers.SO_TYPE);
        assertEquals(so.get("SO_ERROR"), (long) SocketOptionNumbers.SO_ERROR);
        assertEquals(so.get("SO_SNDBUF"), (long) SocketOptionNumbers.SO_SNDBUF);
        assertEquals(so.get("SO_RCVBUF"), (long) SocketOptionNumbers.SO_RCVBUF);
        assertEquals(so.get("SO_KEEPALIVE"), (long) SocketOptionNumbers.SO_KEEPALIVE);
        assertEquals(so.get("SO_LINGER"), (long) SocketOptionNumbers.SO_LINGER);
        assertEquals(so.get("SO_REUSEPORT"), (long) SocketOptionNumbers.SO_REUSEPORT);
        Map<String, Long> tcp = defines(LINUX_TCP);
        assertEquals(tcp.get("TCP_NODELAY"), (long) SocketOptionNumbers.TCP_NODELAY);
        assertEquals(tcp.get("TCP_CORK"), (long) SocketOptionNumbers.TCP_CORK);
        assertEquals(tcp.get("TCP_KEEPIDLE"), (long) SocketOptionNumbers.TCP_KEEPIDLE);
        assertEquals(tcp.get("TCP_KEEPINTVL"), (long) SocketOptionNumbers.TCP_KEEPINTVL);
        assertEquals(tcp.get("TCP_KEEPCNT"), (long) SocketOptionNumbers.TCP_KEEPCNT);
        assertEquals(tcp.get("TCP_USER_TIMEOUT"), (long) SocketOptionNumbers.TCP_USER_TIMEOUT);
        Map<String, Long> in = defines(LINUX_IN);
        assertEquals(in.get("IPPROTO_TCP"), (long) SocketOptionNumbers.IPPROTO_TCP);
        assertEquals(in.get("IPPROTO_IPV6"), (long) SocketOptionNumbers.IPPROTO_IPV6);
        assertEquals(defines(LINUX_IN6).get("IPV6_V6ONLY"), (long) SocketOptionNumbers.IPV6_V6ONLY);
    }

    @Test
    void shouldMatchGlibcSocketHeaders() throws Exception {
        assumeTrue(Files.exists(GLIBC_SOCKET) && Files.exists(GLIBC_SOCKET_TYPE), "glibc's socket headers are not installed");
        Map<String, Long> socket = defines(GLIBC_SOCKET);
        assertEquals(socket.get("PF_LOCAL"), (long) Sockets.AF_UNIX);
        assertEquals(socket.get("PF_INET"), (long) Sockets.AF_INET);
        assertEquals(socket.get("PF_INET6"), (long) Sockets.AF_INET6);
        assertEquals(socket.get("MSG_DONTWAIT"), (long) Sockets.MSG_DONTWAIT);
        assertEquals(socket.get("MSG_NOSIGNAL"), (long) Sockets.MSG_NOSIGNAL);
        assertEquals(socket.get("MSG_MORE"), (long) Sockets.MSG_MORE);
        assertEquals(defines(GLIBC_SOCKET_TYPE).get("SOCK_STREAM"), (long) Sockets.SOCK_STREAM);
    }

    @Test
    void shouldMatchTheGenericErrnoHeaders() throws Exception {
        assumeTrue(Files.exists(GENERIC_ERRNO) && Files.exists(GENERIC_ERRNO_BASE), "asm-generic errno headers are not installed");
        Map<String, Long> errno = new HashMap<>(defines(GENERIC_ERRNO_BASE));
        errno.putAll(defines(GENERIC_ERRNO));
        int checked = 0;
        for (java.lang.reflect.Field field : Errno.class.getFields()) {
            if (field.getType() == int.class) {
                assertEquals(errno.get(field.getName()), (long) field.getInt(null), field.getName());
                checked++;
            }
        }
        assertTrue(checked >= 35, "checked " + checked);
    }

    @Test
    void shouldHaveIoUringSocketConstantsAndLayoutsFromTheKernelSources() {
        // enum io_uring_op, include/uapi/linux/io_uring.h
        assertEquals(9, IoUringLayout.IORING_OP_SENDMSG);
        assertEquals(13, IoUringLayout.IORING_OP_ACCEPT);
        assertEquals(14, IoUringLayout.IORING_OP_ASYNC_CANCEL);
        assertEquals(16, IoUringLayout.IORING_OP_CONNECT);
        assertEquals(26, IoUringLayout.IORING_OP_SEND);
        assertEquals(27, IoUringLayout.IORING_OP_RECV);
        assertEquals(30, IoUringLayout.IORING_OP_SPLICE);
        assertEquals(1 << 5, IoUringLayout.IOSQE_BUFFER_SELECT);
        assertEquals(2, IoUringLayout.IORING_RECV_MULTISHOT);
        assertEquals(1, IoUringLayout.IORING_ACCEPT_MULTISHOT);
        assertEquals(1, IoUringLayout.CQE_F_BUFFER);
        assertEquals(2, IoUringLayout.CQE_F_MORE);
        assertEquals(4, IoUringLayout.CQE_F_SOCK_NONEMPTY);
        assertEquals(16, IoUringLayout.CQE_BUFFER_SHIFT);
        assertEquals(2, IoUringLayout.IORING_SQ_CQ_OVERFLOW);
        assertEquals(8, IoUringLayout.IORING_REGISTER_PROBE);
        assertEquals(22, IoUringLayout.IORING_REGISTER_PBUF_RING);
        assertEquals(23, IoUringLayout.IORING_UNREGISTER_PBUF_RING);
        assertEquals(1, IoUringLayout.IO_URING_OP_SUPPORTED);
        assertEquals(4, IoUringLayout.SPLICE_F_MORE); // include/linux/splice.h
        assertEquals(1031, Pipes.F_SETPIPE_SZ); // F_LINUX_SPECIFIC_BASE (1024) + 7
        assertEquals(1032, Pipes.F_GETPIPE_SZ);
        // io_uring_sqe fields as io_uring/io_uring.c's BUILD_BUG_SQE_ELEM lists them
        assertEquals(8, IoUringLayout.SQE_ADDR2);
        assertEquals(16, IoUringLayout.SQE_SPLICE_OFF_IN);
        assertEquals(28, IoUringLayout.SQE_MSG_FLAGS);
        assertEquals(40, IoUringLayout.SQE_BUF_GROUP);
        assertEquals(44, IoUringLayout.SQE_SPLICE_FD_IN);
        // struct io_uring_buf, io_uring_buf_ring, io_uring_buf_reg, io_uring_probe(_op)
        assertEquals(16, IoUringLayout.BUF_SIZE);
        assertEquals(8, IoUringLayout.BUF_LEN);
        assertEquals(12, IoUringLayout.BUF_BID);
        assertEquals(14, IoUringLayout.BUF_RING_TAIL);
        assertEquals(40, IoUringLayout.BUF_REG_SIZE);
        assertEquals(8, IoUringLayout.BUF_REG_RING_ENTRIES);
        assertEquals(12, IoUringLayout.BUF_REG_BGID);
        assertEquals(16, IoUringLayout.PROBE_SIZE);
        assertEquals(1, IoUringLayout.PROBE_OPS_LEN);
        assertEquals(8, IoUringLayout.PROBE_OP_SIZE);
        assertEquals(2, IoUringLayout.PROBE_OP_FLAGS);
    }

    @Test
    void shouldMatchTheIoUringHeader() throws Exception {
        assumeTrue(Files.exists(IO_URING), IO_URING + " is not installed");
        Map<String, Long> d = defines(IO_URING);
        Map<String, Integer> ops = enumerators(IO_URING, "enum io_uring_op {");
        for (java.lang.reflect.Field field : IoUringLayout.class.getFields()) {
            if (field.getName().startsWith("IORING_OP_")) {
                assertEquals(ops.get(field.getName()), (int) field.getByte(null), field.getName());
            }
        }
        Map<String, Integer> sqeBits = enumerators(IO_URING, "IOSQE_FIXED_FILE_BIT,");
        assertEquals(1 << sqeBits.get("IOSQE_BUFFER_SELECT_BIT"), IoUringLayout.IOSQE_BUFFER_SELECT);
        assertEquals(d.get("IORING_RECV_MULTISHOT"), (long) IoUringLayout.IORING_RECV_MULTISHOT);
        assertEquals(d.get("IORING_ACCEPT_MULTISHOT"), (long) IoUringLayout.IORING_ACCEPT_MULTISHOT);
        assertEquals(d.get("IORING_ASYNC_CANCEL_ALL"), (long) IoUringLayout.IORING_ASYNC_CANCEL_ALL);
        assertEquals(d.get("IORING_ASYNC_CANCEL_FD"), (long) IoUringLayout.IORING_ASYNC_CANCEL_FD);
        assertEquals(d.get("IORING_CQE_F_BUFFER"), (long) IoUringLayout.CQE_F_BUFFER);
        assertEquals(d.get("IORING_CQE_F_MORE"), (long) IoUringLayout.CQE_F_MORE);
        assertEquals(d.get("IORING_CQE_F_SOCK_NONEMPTY"), (long) IoUringLayout.CQE_F_SOCK_NONEMPTY);
        assertEquals(d.get("IORING_CQE_BUFFER_SHIFT"), (long) IoUringLayout.CQE_BUFFER_SHIFT);
        assertEquals(d.get("IORING_SQ_CQ_OVERFLOW"), (long) IoUringLayout.IORING_SQ_CQ_OVERFLOW);
        assertEquals(d.get("IORING_ENTER_GETEVENTS"), (long) IoUringLayout.IORING_ENTER_GETEVENTS);
        assertEquals(d.get("IORING_REGISTER_EVENTFD"), (long) IoUringLayout.IORING_REGISTER_EVENTFD);
        assertEquals(d.get("IORING_REGISTER_PROBE"), (long) IoUringLayout.IORING_REGISTER_PROBE);
        assertEquals(d.get("IORING_REGISTER_PBUF_RING"), (long) IoUringLayout.IORING_REGISTER_PBUF_RING);
        assertEquals(d.get("IORING_UNREGISTER_PBUF_RING"), (long) IoUringLayout.IORING_UNREGISTER_PBUF_RING);
        assertEquals(d.get("IO_URING_OP_SUPPORTED"), (long) IoUringLayout.IO_URING_OP_SUPPORTED);
        assertEquals(d.get("IORING_FEAT_NODROP"), (long) IoUringLayout.IORING_FEAT_NODROP);

        Map<String, Long> buf = structOffsets(IO_URING, "struct io_uring_buf {");
        assertEquals(Map.of("addr", IoUringLayout.BUF_ADDR, "len", IoUringLayout.BUF_LEN, "bid", IoUringLayout.BUF_BID,
                "resv", 14L, "sizeof", IoUringLayout.BUF_SIZE), buf);
        Map<String, Long> ringHead = structOffsets(IO_URING, "struct io_uring_buf_ring {");
        assertEquals(IoUringLayout.BUF_RING_TAIL, ringHead.get("tail"), "the tail overlays entry 0's resv");
        Map<String, Long> reg = structOffsets(IO_URING, "struct io_uring_buf_reg {");
        assertEquals(IoUringLayout.BUF_REG_RING_ADDR, reg.get("ring_addr"));
        assertEquals(IoUringLayout.BUF_REG_RING_ENTRIES, reg.get("ring_entries"));
        assertEquals(IoUringLayout.BUF_REG_BGID, reg.get("bgid"));
        assertEquals(IoUringLayout.BUF_REG_SIZE, reg.get("sizeof"));
        Map<String, Long> probe = structOffsets(IO_URING, "struct io_uring_probe {");
        assertEquals(IoUringLayout.PROBE_LAST_OP, probe.get("last_op"));
        assertEquals(IoUringLayout.PROBE_OPS_LEN, probe.get("ops_len"));
        assertEquals(IoUringLayout.PROBE_SIZE, probe.get("ops"), "the ops array follows the 16-byte head");
        Map<String, Long> op = structOffsets(IO_URING, "struct io_uring_probe_op {");
        assertEquals(IoUringLayout.PROBE_OP_OP, op.get("op"));
        assertEquals(IoUringLayout.PROBE_OP_FLAGS, op.get("flags"));
        assertEquals(IoUringLayout.PROBE_OP_SIZE, op.get("sizeof"));
        if (Files.exists(GLIBC_FCNTL)) {
            assertEquals(defines(GLIBC_FCNTL).get("SPLICE_F_MORE"), (long) IoUringLayout.SPLICE_F_MORE);
        }
        assertEquals(1024 + 7, Pipes.F_SETPIPE_SZ);
        assertTrue(Files.readString(LINUX_FCNTL).contains("#define F_SETPIPE_SZ\t(F_LINUX_SPECIFIC_BASE + 7)"));
        assertTrue(Files.readString(LINUX_FCNTL).contains("#define F_GETPIPE_SZ\t(F_LINUX_SPECIFIC_BASE + 8)"));
    }

    // ---- the running kernel ------------------------------------------------------------

    @Test
    void shouldRoundTripEpollEventDataThroughTheKernel() throws IOException {
        Syscalls sys = Syscalls.linux();
        int first = Eventfd.create(sys, 1, 0); // counter 1: readable at once
        int second = Eventfd.create(sys, 1, 0);
        try (Arena arena = Arena.ofConfined(); Epoll epoll = new Epoll(sys, Arch.current(), arena, 4)) {
            epoll.controlOrThrow(EpollEvents.EPOLL_CTL_ADD, first, EpollEvents.EPOLLIN, 0x1122334455667788L);
            epoll.controlOrThrow(EpollEvents.EPOLL_CTL_ADD, second, EpollEvents.EPOLLIN | EpollEvents.EPOLLOUT,
                    0x99aabbccddeeff00L);
            int ready = epoll.await(30_000);
            assertEquals(2, ready, "both eventfds are readable");
            Map<Long, Integer> eventsByData = new HashMap<>();
            for (int i = 0; i < ready; i++) {
                eventsByData.put(epoll.ready().data(i), epoll.ready().events(i));
            }
            // A wrong data offset or stride would garble the data the kernel copied back.
            assertEquals(EpollEvents.EPOLLIN, eventsByData.get(0x1122334455667788L));
            assertEquals(EpollEvents.EPOLLIN | EpollEvents.EPOLLOUT, eventsByData.get(0x99aabbccddeeff00L));
        } finally {
            sys.close(first);
            sys.close(second);
        }
    }

    @Test
    void shouldCompleteAnIocbIntoTheRingAndSignalItsEventfd() throws IOException {
        Syscalls sys = Syscalls.linux();
        Path file = dir.resolve("data");
        byte[] content = new byte[8192];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i < 4096 ? 'a' : i % 251);
        }
        Files.write(file, content);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment contextOut = arena.allocate(JAVA_LONG);
            int setup = sys.ioSetup(8, contextOut);
            assumeTrue(setup == 0, "io_setup refused here: " + (setup < 0 ? Errno.name(-setup) : setup));
            long context = contextOut.get(JAVA_LONG, 0);
            int fd = FileOpen.open(sys, file, Arch.O_RDONLY);
            int resfd = Eventfd.create(sys, 0, 0);
            try (Epoll epoll = new Epoll(sys, Arch.current(), arena, 1)) {
                MemorySegment ring = MemorySegment.ofAddress(context).reinterpret(AioRingHeader.SIZE);
                assertEquals(AioRingHeader.AIO_RING_MAGIC, ring.get(JAVA_INT, AioRingHeader.MAGIC));
                assertTrue(ring.get(JAVA_INT, AioRingHeader.NR) >= 8, "nr is at least what was asked");
                assertEquals(1, ring.get(JAVA_INT, AioRingHeader.COMPAT_FEATURES));
                assertEquals(0, ring.get(JAVA_INT, AioRingHeader.INCOMPAT_FEATURES));
                assertEquals(AioRingHeader.SIZE, ring.get(JAVA_INT, AioRingHeader.HEADER_LENGTH));
                int nr = ring.get(JAVA_INT, AioRingHeader.NR);
                int head = ring.get(JAVA_INT, AioRingHeader.HEAD);
                assertEquals(head, ring.get(JAVA_INT, AioRingHeader.TAIL), "empty ring");

                MemorySegment buffer = arena.allocate(4096, 4096);
                MemorySegment iocb = arena.allocate(Iocb.SIZE, 8);
                Iocb.fill(iocb, 0, 0x0fedcba987654321L, Iocb.IOCB_CMD_PREAD, fd, buffer.address(), 4096, 4096, resfd);
                MemorySegment pointers = arena.allocate(ADDRESS);
                pointers.set(ADDRESS, 0, iocb);
                assertEquals(1, sys.ioSubmit(context, 1, pointers));

                // The eventfd in aio_resfd (aio_flags = IOCB_FLAG_RESFD) turns readable.
                epoll.controlOrThrow(EpollEvents.EPOLL_CTL_ADD, resfd, EpollEvents.EPOLLIN, 1);
                assertEquals(1, epoll.await(30_000), "the completion signalled the eventfd");
                assertEquals(1, Eventfd.read(sys, resfd), "exactly +1 per completion");

                int tail = ring.get(JAVA_INT, AioRingHeader.TAIL);
                assertEquals((head + 1) % nr, tail, "one event published");
                MemorySegment event = MemorySegment.ofAddress(context + AioRingHeader.SIZE + (long) head * IoEvent.SIZE)
                        .reinterpret(IoEvent.SIZE);
                assertEquals(0x0fedcba987654321L, event.get(JAVA_LONG, IoEvent.DATA), "aio_data comes back");
                assertEquals(iocb.address(), event.get(JAVA_LONG, IoEvent.OBJ), "obj is the iocb's address");
                assertEquals(4096L, event.get(JAVA_LONG, IoEvent.RES));
                assertEquals(0L, event.get(JAVA_LONG, IoEvent.RES2));
                assertArrayEquals(Arrays.copyOfRange(content, 4096, 8192), buffer.toArray(JAVA_BYTE),
                        "aio_buf, aio_nbytes and aio_offset reached the kernel");

                MemorySegment events = arena.allocate(IoEvent.SIZE, 8);
                MemorySegment timeout = arena.allocate(Timespec.SIZE, 8);
                Timespec.set(timeout, 0, 30_000_000_000L);
                assertEquals(1, sys.ioGetevents(context, 1, 1, events, timeout));
                assertEquals(0x0fedcba987654321L, events.get(JAVA_LONG, IoEvent.DATA));
                assertEquals(iocb.address(), events.get(JAVA_LONG, IoEvent.OBJ));
                assertEquals(4096L, events.get(JAVA_LONG, IoEvent.RES));
                assertEquals(tail, ring.get(JAVA_INT, AioRingHeader.HEAD), "io_getevents moved head to tail");

                // aio_rw_flags: a flag no kernel supports is refused, proving the kernel reads that field.
                Iocb.fill(iocb, 0, 1, Iocb.IOCB_CMD_PREAD, fd, buffer.address(), 4096, 0, resfd);
                iocb.set(JAVA_INT, Iocb.RW_FLAGS, 1 << 30);
                assertEquals(-Errno.EOPNOTSUPP, sys.ioSubmit(context, 1, pointers));
            } finally {
                sys.close(resfd);
                sys.close(fd);
                sys.ioDestroy(context);
            }
        }
    }

    @Test
    void shouldReadStatxFieldsAsTheJdkSeesThem() throws IOException {
        Syscalls sys = Syscalls.linux();
        Path file = dir.resolve("sized");
        Files.write(file, new byte[12345]);
        assertStatx(sys, file, Statx.S_IFREG, "dev", Statx.DEV_MAJOR, Statx.DEV_MINOR);
        int fd = FileOpen.open(sys, file, Arch.O_RDONLY);
        try {
            assertEquals(12345L, FileOpen.size(sys, fd));
        } finally {
            sys.close(fd);
        }
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull), "/dev/null is missing");
        assertStatx(sys, devNull, Statx.S_IFCHR, "rdev", Statx.RDEV_MAJOR, Statx.RDEV_MINOR);
    }

    @Test
    void shouldReadMonotonicClockAndFireAnAbsoluteTimerfd() throws IOException {
        Syscalls sys = Syscalls.linux();
        try (Arena arena = Arena.ofConfined();
             Timerfd timerfd = new Timerfd(sys, arena);
             Epoll epoll = new Epoll(sys, Arch.current(), arena, 1)) {
            MemorySegment now = arena.allocate(Timespec.SIZE, 8);
            assertEquals(0, sys.clockGettime(Timespec.CLOCK_MONOTONIC, now));
            long seconds = now.get(JAVA_LONG, 0);
            long nanos = now.get(JAVA_LONG, 8);
            assertTrue(seconds >= 0 && nanos >= 0 && nanos < 1_000_000_000L, seconds + " s " + nanos + " ns");
            long first = timerfd.monotonicNanos();
            assertTrue(timerfd.monotonicNanos() >= first, "monotonic");

            epoll.controlOrThrow(EpollEvents.EPOLL_CTL_ADD, timerfd.fd(), EpollEvents.EPOLLIN, 7);
            // it_value at offset 16 with an absolute deadline already past: fires at once. Were
            // it_value and it_interval swapped, it_value would be 0 and the timer disarmed.
            timerfd.arm(first);
            assertEquals(1, epoll.await(30_000), "the timerfd fired");
            assertEquals(7L, epoll.ready().data(0));
            assertEquals(1L, timerfd.drain(), "one expiration");
            assertEquals(0L, timerfd.drain(), "drained");
        }
    }

    @Test
    void shouldSeeAnOfdLockFromASecondOpenOfTheFile() throws IOException {
        Syscalls sys = Syscalls.linux();
        Path file = dir.resolve("locked");
        Files.write(file, new byte[100]);
        int holder = FileOpen.open(sys, file, Arch.O_RDWR);
        int other = FileOpen.open(sys, file, Arch.O_RDWR);
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(0, Flock.apply(sys, holder, Flock.F_OFD_SETLK, Flock.F_WRLCK, 10, 20));
            // Two opens are two open file descriptions: the second conflicts although the process is the same.
            assertEquals(-Errno.EAGAIN, Flock.apply(sys, other, Flock.F_OFD_SETLK, Flock.F_RDLCK, 29, 1));
            assertEquals(0, Flock.apply(sys, other, Flock.F_OFD_SETLK, Flock.F_RDLCK, 30, 0), "past the held range");

            MemorySegment query = arena.allocate(Flock.SIZE, 8);
            Flock.fill(query, Flock.F_WRLCK, 0, 0);
            assertEquals(0, sys.fcntlLock(other, Flock.F_OFD_GETLK, query));
            assertEquals(Flock.F_WRLCK, query.get(JAVA_SHORT, Flock.TYPE));
            assertEquals(10L, query.get(JAVA_LONG, Flock.START));
            assertEquals(20L, query.get(JAVA_LONG, Flock.LEN));
            assertEquals(-1, query.get(JAVA_INT, Flock.PID), "an OFD lock has no owning process");

            assertEquals(0, Flock.apply(sys, holder, Flock.F_OFD_SETLK, Flock.F_UNLCK, 10, 20));
            assertEquals(0, Flock.apply(sys, other, Flock.F_OFD_SETLK, Flock.F_WRLCK, 0, 30));
        } finally {
            sys.close(holder);
            sys.close(other);
        }
    }

    @Test
    void shouldIdentifyAFileByDeviceAndInodeAsTheJdkDoes() throws IOException {
        Syscalls sys = Syscalls.linux();
        Path file = dir.resolve("identified");
        Files.write(file, new byte[1]);
        Path link = Files.createLink(dir.resolve("hard-link"), file);
        int fd = FileOpen.open(sys, file, Arch.O_RDONLY);
        int linked = FileOpen.open(sys, link, Arch.O_RDONLY);
        try {
            FileOpen.FileId id = FileOpen.id(sys, fd);
            assertEquals((long) Files.getAttribute(file, "unix:ino"), id.inode());
            long dev = (long) Files.getAttribute(file, "unix:dev");
            assertEquals(((dev >>> 8) & 0xfff) | ((dev >>> 32) & 0xffff_f000L), Integer.toUnsignedLong(id.deviceMajor()));
            assertEquals((dev & 0xff) | ((dev >>> 12) & 0xffff_ff00L), Integer.toUnsignedLong(id.deviceMinor()));
            assertEquals(id, FileOpen.id(sys, linked), "a hard link is the same file");
        } finally {
            sys.close(fd);
            sys.close(linked);
        }
    }

    @Test
    void shouldRoundTripSocketAddressesThroughBindAndGetsockname() throws IOException {
        Syscalls sys = Syscalls.linux();
        java.util.List<java.net.SocketAddress> addresses = new java.util.ArrayList<>(java.util.List.of(
                new java.net.InetSocketAddress("127.0.0.1", 0), java.net.UnixDomainSocketAddress.of(dir.resolve("s.sock"))));
        if (ipv6Loopback()) {
            addresses.add(new java.net.InetSocketAddress("::1", 0));
        }
        for (java.net.SocketAddress address : addresses) {
            int fd = Sockets.open(sys, SocketAddresses.family(address));
            try {
                Sockets.bind(sys, fd, address);
                java.net.SocketAddress bound = Sockets.localAddress(sys, fd);
                if (address instanceof java.net.InetSocketAddress inet) {
                    java.net.InetSocketAddress got = (java.net.InetSocketAddress) bound;
                    assertEquals(inet.getAddress(), got.getAddress(), "the address bytes and family");
                    assertTrue(got.getPort() > 0, "port 0 binds an ephemeral port in network order: " + got);
                } else {
                    assertEquals(address, bound);
                }
            } finally {
                sys.close(fd);
            }
        }
    }

    @Test
    void shouldGatherIovecsThroughSendmsgAndCountCachedPages() throws IOException {
        Syscalls sys = Syscalls.linux();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pair = arena.allocate(JAVA_INT, 2);
            assertEquals(0, sys.socketpair(Sockets.AF_UNIX, Sockets.SOCK_STREAM | Sockets.SOCK_NONBLOCK, 0, pair));
            int a = pair.getAtIndex(JAVA_INT, 0);
            int b = pair.getAtIndex(JAVA_INT, 1);
            try {
                MemorySegment first = arena.allocateFrom("abc");
                MemorySegment second = arena.allocateFrom("defgh");
                MemorySegment iovecs = arena.allocate(2 * Msghdr.IOVEC_SIZE, 8);
                Msghdr.setIovec(iovecs, 0, first.address(), 3);
                Msghdr.setIovec(iovecs, 1, second.address(), 5);
                MemorySegment msghdr = arena.allocate(Msghdr.SIZE, 8);
                Msghdr.fill(msghdr, iovecs.address(), 2);
                assertEquals(8, sys.sendmsg(a, msghdr.address(), Sockets.MSG_NOSIGNAL));
                MemorySegment received = arena.allocate(16);
                assertEquals(8, sys.recv(b, received.address(), 16, 0));
                assertEquals("abcdefgh", new String(received.asSlice(0, 8).toArray(JAVA_BYTE)));
                assertEquals(-Errno.EAGAIN, sys.recv(b, received.address(), 16, 0));
            } finally {
                sys.close(a);
                sys.close(b);
            }
            Path file = dir.resolve("cached");
            Files.write(file, new byte[(int) (3 * PageCache.PAGE_SIZE)]);
            int fd = FileOpen.open(sys, file, Arch.O_RDONLY);
            try {
                PageCache cache = new PageCache(sys, arena);
                int resident = cache.resident(fd, 0, 3 * PageCache.PAGE_SIZE);
                assumeTrue(resident != -1, "cachestat(2) needs Linux 6.5");
                assertEquals(1, resident, "a file just written is in the page cache");
                assertEquals(0, PageCacheFixture.drop(file), "posix_fadvise(DONTNEED)");
                assertEquals(0, cache.resident(fd, 0, 3 * PageCache.PAGE_SIZE), "dropped pages are not resident");
                MemorySegment buffer = arena.allocate(PageCache.PAGE_SIZE);
                MemorySegment iovec = arena.allocate(Msghdr.IOVEC_SIZE, 8);
                assertEquals(-Errno.EAGAIN, cache.readNowait(fd, buffer.address(), PageCache.PAGE_SIZE, 0, iovec),
                        "RWF_NOWAIT refuses to wait for the disk");
            } finally {
                sys.close(fd);
            }
        }
    }

    private static boolean ipv6Loopback() {
        try (java.nio.channels.ServerSocketChannel probe = java.nio.channels.ServerSocketChannel.open()) {
            probe.bind(new java.net.InetSocketAddress("::1", 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    // ---- helpers -----------------------------------------------------------------------

    private static void assertSyscalls(Map<String, Integer> expected, Arch arch) throws Exception {
        RecordComponent[] components = Arch.SyscallNumbers.class.getRecordComponents();
        assertEquals(Arrays.stream(components).map(RecordComponent::getName).toList(),
                expected.keySet().stream().toList(), "every syscall number is checked");
        for (RecordComponent component : components) {
            int actual = (int) component.getAccessor().invoke(arch.syscalls());
            assertEquals(expected.get(component.getName()), actual, arch + " " + component.getName());
        }
    }

    /** {@code ioGetevents} -> {@code io_getevents}, {@code epollCreate1} -> {@code epoll_create1}. */
    private static String cName(String component, String epollWaitName) {
        if (component.equals("epollWait")) {
            return epollWaitName;
        }
        return component.replace("ioUring", "io_uring_").replaceAll("([a-z])([A-Z])", "$1_$2")
                .replaceAll("__", "_").toLowerCase(java.util.Locale.ROOT);
    }

    private static void assertStatx(Syscalls sys, Path path, int type, String jdkDevAttribute, long majorAt,
                                    long minorAt) throws IOException {
        int fd = FileOpen.open(sys, path, Arch.O_RDONLY);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment statx = arena.allocate(Statx.SIZE, 8);
            statx.fill((byte) 0xff);
            assertEquals(0, sys.statx(fd, arena.allocateFrom(""), Statx.AT_EMPTY_PATH,
                    Statx.STATX_TYPE | Statx.STATX_SIZE, statx));
            int mask = statx.get(JAVA_INT, Statx.MASK);
            assertEquals(Statx.STATX_TYPE | Statx.STATX_SIZE, mask & (Statx.STATX_TYPE | Statx.STATX_SIZE));
            int mode = Short.toUnsignedInt(statx.get(JAVA_SHORT, Statx.MODE));
            assertEquals(type, mode & Statx.S_IFMT, path + " type");
            assertEquals((int) Files.getAttribute(path, "unix:mode"), mode, path + " mode");
            assertEquals(Files.size(path), statx.get(JAVA_LONG, Statx.SIZE_FIELD), path + " size");
            int blockSize = statx.get(JAVA_INT, Statx.BLKSIZE);
            assertTrue(blockSize > 0 && Integer.bitCount(blockSize) == 1, "blksize " + blockSize);
            long dev = (long) Files.getAttribute(path, "unix:" + jdkDevAttribute);
            // glibc's gnu_dev_major / gnu_dev_minor
            long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & 0xffff_f000L);
            long minor = (dev & 0xff) | ((dev >>> 12) & 0xffff_ff00L);
            assertEquals(major, Integer.toUnsignedLong(statx.get(JAVA_INT, majorAt)), path + " " + jdkDevAttribute + " major");
            assertEquals(minor, Integer.toUnsignedLong(statx.get(JAVA_INT, minorAt)), path + " " + jdkDevAttribute + " minor");
        } finally {
            sys.close(fd);
        }
    }

    private static final Pattern DEFINE = Pattern.compile("^\\s*#\\s*define\\s+(\\w+)\\s+(.+?)\\s*(?:/\\*.*)?$");
    private static final Pattern ENUM_ENTRY = Pattern.compile("^\\s*(\\w+)\\s*=\\s*([^,]+),?\\s*(?:/\\*.*)?$");

    /** The object-like macros (and enum entries) of a header whose value is a plain integer expression. */
    private static Map<String, Long> defines(Path header) throws IOException {
        Map<String, Long> values = new HashMap<>();
        for (String line : Files.readAllLines(header)) {
            Matcher m = DEFINE.matcher(line);
            if (!m.matches()) {
                m = ENUM_ENTRY.matcher(line);
                if (!m.matches()) {
                    continue;
                }
            }
            Long value = evaluate(m.group(2));
            if (value != null) {
                values.putIfAbsent(m.group(1), value);
            }
        }
        return values;
    }

    private static final Pattern CAST = Pattern.compile("\\((?:__force\\s+)?__\\w+\\)");
    private static final Pattern SHIFT = Pattern.compile("(\\w+)\\s*<<\\s*(\\w+)");

    /** {@code 00040000}, {@code 0x2000U}, {@code -100}, {@code ((__poll_t)(1U << 31))}; null for anything else. */
    private static Long evaluate(String expression) {
        String e = CAST.matcher(expression).replaceAll("").replace("(", "").replace(")", "").trim();
        Matcher shift = SHIFT.matcher(e);
        if (shift.matches()) {
            Long base = number(shift.group(1));
            Long by = number(shift.group(2));
            return base == null || by == null ? null : base << by;
        }
        return number(e);
    }

    private static Long number(String text) {
        String t = text.replaceAll("[uUlL]+$", "");
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseLong(t.substring(2), 16);
            }
            if (t.length() > 1 && t.startsWith("0")) {
                return Long.parseLong(t.substring(1), 8);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    /**
     * The enumerators of the enum whose body starts after the line containing {@code opening}, numbered as C
     * numbers them (from 0, or from an explicit {@code = value}).
     */
    private static Map<String, Integer> enumerators(Path header, String opening) throws IOException {
        java.util.List<String> lines = Files.readAllLines(header);
        int at = 0;
        while (!lines.get(at).contains(opening)) {
            at++;
        }
        if (lines.get(at).trim().startsWith("enum")) {
            at++;
        }
        Map<String, Integer> values = new HashMap<>();
        int next = 0;
        Pattern entry = Pattern.compile("^\\s*(\\w+)\\s*(?:=\\s*([^,/]+?))?\\s*,?\\s*(?:/\\*.*)?$");
        for (; !lines.get(at).contains("}"); at++) {
            String line = lines.get(at).trim();
            if (line.isEmpty() || line.startsWith("/*") || line.startsWith("*") || line.startsWith("#")) {
                continue;
            }
            Matcher m = entry.matcher(line);
            if (m.matches()) {
                if (m.group(2) != null) {
                    Long explicit = evaluate(m.group(2));
                    next = explicit != null ? explicit.intValue() : next;
                }
                values.put(m.group(1), next++);
            }
        }
        return values;
    }

    /**
     * The offsets of the fields of a C struct made of {@code __u8} .. {@code __u64} (arrays too, and a
     * trailing flexible array of a struct whose alignment is 4 or 8), laid out as the C ABI of both
     * architectures does (natural alignment), plus {@code "sizeof"}; an inner anonymous struct (a union's
     * first member) is laid out from the start.
     */
    private static Map<String, Long> structOffsets(Path header, String opening) throws IOException {
        java.util.List<String> lines = Files.readAllLines(header);
        int at = 0;
        while (!lines.get(at).contains(opening)) {
            at++;
        }
        Map<String, Long> offsets = new HashMap<>();
        Pattern field = Pattern.compile("^\\s*__([us])(8|16|32|64)\\s+(\\w+)\\s*(?:\\[(\\d*)\\])?\\s*;.*$");
        Pattern flexible = Pattern.compile("^\\s*struct\\s+\\w+\\s+(\\w+)\\[\\]\\s*;.*$");
        long offset = 0;
        long alignment = 1;
        int depth = 0;
        for (at++; ; at++) {
            String line = lines.get(at);
            if (line.contains("{")) {
                depth++;
                continue;
            }
            if (line.contains("}")) {
                if (depth-- == 0) {
                    break;
                }
                if (depth == 0) {
                    break; // the first member of a union: what follows overlays it
                }
                continue;
            }
            Matcher m = field.matcher(line);
            if (m.matches()) {
                long size = Long.parseLong(m.group(2)) / 8;
                long count = m.group(4) == null ? 1 : m.group(4).isEmpty() ? 0 : Long.parseLong(m.group(4));
                offset = (offset + size - 1) / size * size;
                offsets.put(m.group(3), offset);
                offset += size * count;
                alignment = Math.max(alignment, size);
                continue;
            }
            Matcher f = flexible.matcher(line);
            if (f.matches()) {
                offset = (offset + 3) / 4 * 4;
                offsets.put(f.group(1), offset);
            }
        }
        offsets.put("sizeof", (offset + alignment - 1) / alignment * alignment);
        return offsets;
    }

    private static Map<String, Integer> ordered(Object... namesAndValues) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            assertNotNull(namesAndValues[i + 1]);
            map.put((String) namesAndValues[i], (Integer) namesAndValues[i + 1]);
        }
        return map;
    }
}
