package io.fdloop.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@link Syscalls} on the real kernel: one {@code static final MethodHandle} per libc function,
 * each linked with {@code captureCallState("errno")} and called through {@code invokeExact}.
 *
 * <p><b>Thread-safe.</b> errno is captured into a segment owned by the calling thread (a thread
 * local), never one shared between threads, and turned into {@code -errno} at once.
 */
final class LinuxSyscalls implements Syscalls {
    static final LinuxSyscalls INSTANCE = new LinuxSyscalls();

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private static final Arch.SyscallNumbers NR = Arch.current().syscalls();

    private static final MethodHandle EPOLL_CREATE1 = link("epoll_create1", JAVA_INT, JAVA_INT);
    private static final MethodHandle EPOLL_CTL = link("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle EPOLL_WAIT = link("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle EVENTFD = link("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle TIMERFD_CREATE = link("timerfd_create", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle TIMERFD_SETTIME =
            link("timerfd_settime", JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle CLOCK_GETTIME = link("clock_gettime", JAVA_INT, JAVA_INT, ADDRESS);
    // Pointers into caller buffers travel as 64-bit integers: identical in the LP64 calling
    // conventions of x86_64 and aarch64, and no MemorySegment is made per call.
    private static final MethodHandle READ = link("read", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle WRITE = link("write", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    // The hot path (eventfd read/write, epoll_wait, io_submit, io_getevents, io_uring_enter) runs
    // deep inside the loop's dispatch, where the segment a capturing downcall slices from its
    // capture buffer can outlive the JIT's inlining budget and escape analysis, costing an
    // allocation per call. Each of these calls has no effect when it fails (nothing transferred,
    // submitted, reaped or consumed), so it goes out without capture and only a failure is
    // repeated, with errno captured, to learn why: see fast(...) below.
    private static final MethodHandle READ_NO_ERRNO = linkWithoutErrno("read", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle WRITE_NO_ERRNO = linkWithoutErrno("write", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle EPOLL_WAIT_NO_ERRNO =
            linkWithoutErrno("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle SYSCALL_6_NO_ERRNO = LINKER.downcallHandle(symbol("syscall"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle PREAD = link("pread64", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle PWRITE = link("pwrite64", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle PREADV = link("preadv64", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG);
    private static final MethodHandle PWRITEV = link("pwritev64", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG);
    private static final MethodHandle FSYNC = link("fsync", JAVA_INT, JAVA_INT);
    private static final MethodHandle FDATASYNC = link("fdatasync", JAVA_INT, JAVA_INT);
    private static final MethodHandle CLOSE = link("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle OPEN = linkVariadic("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle STATX = link("statx", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle FALLOCATE = link("fallocate64", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle PIPE2 = link("pipe2", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SOCKETPAIR = link("socketpair", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    // long syscall(long number, ...): variadic after the number, see syscall(2).
    private static final MethodHandle SYSCALL_LP = linkVariadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
    private static final MethodHandle SYSCALL_L = linkVariadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_LONG);

    private static final MethodHandle SYSCALL_6 = linkVariadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle MMAP = link("mmap64", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_LONG);
    private static final MethodHandle MUNMAP = link("munmap", JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle FTRUNCATE = link("ftruncate64", JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle FCNTL_POINTER = linkVariadic("fcntl64", 2, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle FCNTL_INT = linkVariadic("fcntl64", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SOCKET = link("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = link("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle LISTEN = link("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle ACCEPT4 = link("accept4", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final MethodHandle CONNECT = link("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SHUTDOWN = link("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle GETSOCKOPT = link("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle SETSOCKOPT = link("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKNAME = link("getsockname", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle GETPEERNAME = link("getpeername", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle RECV = link("recv", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SENDMSG = link("sendmsg", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SENDFILE = link("sendfile64", JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle PREADV2 = link("preadv64v2", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG,
            JAVA_INT);

    private LinuxSyscalls() {
    }

    @Override
    public int epollCreate1(int flags) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) EPOLL_CREATE1.invokeExact(capture, flags), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) EPOLL_CTL.invokeExact(capture, epfd, op, fd, event), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMs) {
        try {
            int n = (int) EPOLL_WAIT_NO_ERRNO.invokeExact(epfd, events, maxEvents, timeoutMs);
            if (n >= 0) {
                return n;
            }
            MemorySegment capture = CAPTURE.get();
            return result((int) EPOLL_WAIT.invokeExact(capture, epfd, events, maxEvents, timeoutMs), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int eventfd(int initialValue, int flags) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) EVENTFD.invokeExact(capture, initialValue, flags), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int timerfdCreate(int clockId, int flags) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) TIMERFD_CREATE.invokeExact(capture, clockId, flags), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int timerfdSettime(int fd, int flags, MemorySegment newValue) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) TIMERFD_SETTIME.invokeExact(capture, fd, flags, newValue, MemorySegment.NULL), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int clockGettime(int clockId, MemorySegment timespec) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) CLOCK_GETTIME.invokeExact(capture, clockId, timespec), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long read(int fd, long address, long count) {
        try {
            long n = (long) READ_NO_ERRNO.invokeExact(fd, address, count);
            if (n >= 0) {
                return n;
            }
            MemorySegment capture = CAPTURE.get();
            return result((long) READ.invokeExact(capture, fd, address, count), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long write(int fd, long address, long count) {
        try {
            long n = (long) WRITE_NO_ERRNO.invokeExact(fd, address, count);
            if (n >= 0) {
                return n;
            }
            MemorySegment capture = CAPTURE.get();
            return result((long) WRITE.invokeExact(capture, fd, address, count), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long pread(int fd, long address, long count, long offset) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((long) PREAD.invokeExact(capture, fd, address, count, offset), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long pwrite(int fd, long address, long count, long offset) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((long) PWRITE.invokeExact(capture, fd, address, count, offset), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long preadv(int fd, long iov, int iovCount, long offset) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((long) PREADV.invokeExact(capture, fd, iov, iovCount, offset), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long pwritev(int fd, long iov, int iovCount, long offset) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((long) PWRITEV.invokeExact(capture, fd, iov, iovCount, offset), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int fsync(int fd) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) FSYNC.invokeExact(capture, fd), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int fdatasync(int fd) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) FDATASYNC.invokeExact(capture, fd), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int close(int fd) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) CLOSE.invokeExact(capture, fd), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int open(MemorySegment path, int flags, int mode) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) OPEN.invokeExact(capture, path, flags, mode), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int statx(int dirFd, MemorySegment path, int flags, int mask, MemorySegment statx) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) STATX.invokeExact(capture, dirFd, path, flags, mask, statx), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int fallocate(int fd, int mode, long offset, long length) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) FALLOCATE.invokeExact(capture, fd, mode, offset, length), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int pipe2(MemorySegment fds, int flags) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) PIPE2.invokeExact(capture, fds, flags), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int socketpair(int domain, int type, int protocol, MemorySegment fds) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) SOCKETPAIR.invokeExact(capture, domain, type, protocol, fds), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int ioSetup(int events, MemorySegment contextOut) {
        MemorySegment capture = CAPTURE.get();
        try {
            return (int) result((long) SYSCALL_LP.invokeExact(capture, (long) NR.ioSetup(), (long) events, contextOut),
                    capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int ioDestroy(long context) {
        MemorySegment capture = CAPTURE.get();
        try {
            return (int) result((long) SYSCALL_L.invokeExact(capture, (long) NR.ioDestroy(), context), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int ioSubmit(long context, long count, MemorySegment iocbPointers) {
        return (int) fastSyscall(NR.ioSubmit(), context, count, iocbPointers.address(), 0, 0, 0);
    }

    @Override
    public int ioGetevents(long context, long minCount, long count, MemorySegment events, MemorySegment timeout) {
        return (int) fastSyscall(NR.ioGetevents(), context, minCount, count, events.address(), timeout.address(), 0);
    }

    @Override
    public int ioUringSetup(int entries, MemorySegment params) {
        return (int) syscall(NR.ioUringSetup(), Integer.toUnsignedLong(entries), params.address(), 0, 0, 0, 0);
    }

    @Override
    public int ioUringEnter(int fd, int toSubmit, int minComplete, int flags) {
        return (int) fastSyscall(NR.ioUringEnter(), fd, Integer.toUnsignedLong(toSubmit),
                Integer.toUnsignedLong(minComplete), Integer.toUnsignedLong(flags), 0, 0);
    }

    @Override
    public int ioUringRegister(int fd, int opcode, MemorySegment arg, int argCount) {
        return (int) syscall(NR.ioUringRegister(), fd, opcode, arg.address(), Integer.toUnsignedLong(argCount), 0, 0);
    }

    /** A hot-path syscall that has no effect when it fails: see the note at SYSCALL_6_NO_ERRNO. */
    private static long fastSyscall(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            long r = (long) SYSCALL_6_NO_ERRNO.invokeExact(number, a1, a2, a3, a4, a5, a6);
            return r >= 0 ? r : syscall(number, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((long) SYSCALL_6.invokeExact(capture, number, a1, a2, a3, a4, a5, a6), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long mmap(long address, long length, int protection, int flags, int fd, long offset) {
        MemorySegment capture = CAPTURE.get();
        try {
            long mapped = (long) MMAP.invokeExact(capture, address, length, protection, flags, fd, offset);
            return mapped == -1 ? -(int) ERRNO.get(capture, 0L) : mapped;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int munmap(long address, long length) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) MUNMAP.invokeExact(capture, address, length), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int ftruncate(int fd, long length) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) FTRUNCATE.invokeExact(capture, fd, length), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int fcntlLock(int fd, int command, MemorySegment flock) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) FCNTL_POINTER.invokeExact(capture, fd, command, flock), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int fcntlInt(int fd, int command, int argument) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) FCNTL_INT.invokeExact(capture, fd, command, argument), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) SOCKET.invokeExact(capture, domain, type, protocol), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int bind(int fd, MemorySegment address, int addressLength) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) BIND.invokeExact(capture, fd, address, addressLength), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int listen(int fd, int backlog) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) LISTEN.invokeExact(capture, fd, backlog), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int accept4(int fd, MemorySegment address, MemorySegment addressLength, int flags) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) ACCEPT4.invokeExact(capture, fd, address, addressLength, flags), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int connect(int fd, MemorySegment address, int addressLength) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) CONNECT.invokeExact(capture, fd, address, addressLength), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int shutdown(int fd, int how) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) SHUTDOWN.invokeExact(capture, fd, how), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment valueLength) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) GETSOCKOPT.invokeExact(capture, fd, level, name, value, valueLength), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int setsockopt(int fd, int level, int name, MemorySegment value, int valueLength) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) SETSOCKOPT.invokeExact(capture, fd, level, name, value, valueLength), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int getsockname(int fd, MemorySegment address, MemorySegment addressLength) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) GETSOCKNAME.invokeExact(capture, fd, address, addressLength), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int getpeername(int fd, MemorySegment address, MemorySegment addressLength) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((int) GETPEERNAME.invokeExact(capture, fd, address, addressLength), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }


    @Override
    public long recv(int fd, long address, long length, int flags) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((long) RECV.invokeExact(capture, fd, address, length, flags), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long sendmsg(int fd, long msghdr, int flags) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((long) SENDMSG.invokeExact(capture, fd, msghdr, flags), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long sendfile(int outFd, int inFd, long offsetPointer, long count) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((long) SENDFILE.invokeExact(capture, outFd, inFd, offsetPointer, count), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long preadv2(int fd, long iov, int iovCount, long offset, int flags) {
        MemorySegment capture = CAPTURE.get();
        try {
            return result((long) PREADV2.invokeExact(capture, fd, iov, iovCount, offset, flags), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int cachestat(int fd, MemorySegment range, MemorySegment stat, int flags) {
        return (int) syscall(NR.cachestat(), fd, range.address(), stat.address(), Integer.toUnsignedLong(flags), 0, 0);
    }

    private static int result(int value, MemorySegment capture) {
        return value >= 0 ? value : -(int) ERRNO.get(capture, 0L);
    }

    private static long result(long value, MemorySegment capture) {
        return value >= 0 ? value : -(int) ERRNO.get(capture, 0L);
    }

    private static MethodHandle link(String name, MemoryLayout returns, MemoryLayout... arguments) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(returns, arguments), CAPTURE_ERRNO);
    }

    private static MethodHandle linkWithoutErrno(String name, MemoryLayout returns, MemoryLayout... arguments) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(returns, arguments));
    }

    private static MethodHandle linkVariadic(String name, int firstVariadic, MemoryLayout returns,
                                             MemoryLayout... arguments) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(returns, arguments), CAPTURE_ERRNO,
                Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name + "; fdloop needs glibc on Linux"));
    }

    /** A downcall throws only on a programming error in this class (a wrong method type). */
    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof Error error) {
            throw error;
        }
        return t instanceof RuntimeException runtime ? runtime : new IllegalStateException(t);
    }
}
