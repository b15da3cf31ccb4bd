package io.fdloop.internal.linux;

/**
 * The values that differ between the architectures fdloop runs on: syscall numbers, open(2)
 * flags and the layout of {@code struct epoll_event}.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * <p>Everything here is copied from the kernel's UAPI headers:
 * {@code arch/x86/entry/syscalls/syscall_64.tbl}, {@code include/uapi/asm-generic/unistd.h}
 * (which aarch64 uses), {@code include/uapi/asm-generic/fcntl.h},
 * {@code arch/arm64/include/uapi/asm/fcntl.h} and {@code include/uapi/linux/eventpoll.h}.
 * {@code ArchTest} checks every value.
 */
public enum Arch {
    /**
     * x86_64. {@code struct epoll_event} is {@code __attribute__((packed))} here:
     * <pre>
     *  0       4                  12
     *  +-------+------------------+
     *  |events |      data        |   12 bytes
     *  +-------+------------------+
     * </pre>
     */
    X86_64("amd64", new SyscallNumbers(206, 207, 209, 208, 425, 426, 427, 451),
            0x4000, 0x10000, 0x20000, 12, 4),
    /**
     * aarch64. {@code struct epoll_event} has natural alignment, so {@code data} moves to offset 8:
     * <pre>
     *  0       4       8                  16
     *  +-------+-------+------------------+
     *  |events |  pad  |      data        |   16 bytes
     *  +-------+-------+------------------+
     * </pre>
     */
    AARCH64("aarch64", new SyscallNumbers(0, 1, 2, 4, 425, 426, 427, 451),
            0x10000, 0x4000, 0x8000, 16, 8);

    /** Flags with the same value on every architecture fdloop supports. */
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80,
            O_TRUNC = 0x200, O_APPEND = 0x400, O_NONBLOCK = 0x800, O_DSYNC = 0x1000, O_CLOEXEC = 0x80000,
            O_SYNC = 0x101000;

    private final String osArch;
    private final SyscallNumbers syscalls;
    private final int oDirect;
    private final int oDirectory;
    private final int oNofollow;
    private final int epollEventSize;
    private final int epollEventDataOffset;

    Arch(String osArch, SyscallNumbers syscalls, int oDirect, int oDirectory, int oNofollow,
         int epollEventSize, int epollEventDataOffset) {
        this.osArch = osArch;
        this.syscalls = syscalls;
        this.oDirect = oDirect;
        this.oDirectory = oDirectory;
        this.oNofollow = oNofollow;
        this.epollEventSize = epollEventSize;
        this.epollEventDataOffset = epollEventDataOffset;
    }

    /** The architecture of the running JVM. */
    public static Arch current() {
        return Current.ARCH;
    }

    /** Looks an architecture up by the JVM's {@code os.arch} name. */
    public static Arch forOsArch(String osArch) {
        for (Arch arch : values()) {
            if (arch.osArch.equals(osArch) || arch.name().equalsIgnoreCase(osArch)) {
                return arch;
            }
        }
        throw new UnsupportedOperationException("fdloop supports Linux on x86_64 (amd64) and aarch64, not on os.arch="
                + osArch);
    }

    public SyscallNumbers syscalls() {
        return syscalls;
    }

    public int oDirect() {
        return oDirect;
    }

    public int oDirectory() {
        return oDirectory;
    }

    public int oNofollow() {
        return oNofollow;
    }

    public int epollEventSize() {
        return epollEventSize;
    }

    public int epollEventDataOffset() {
        return epollEventDataOffset;
    }

    /** Syscall numbers of the calls libc has no wrapper for, which fdloop makes through {@code syscall(2)}. */
    public record SyscallNumbers(int ioSetup, int ioDestroy, int ioSubmit, int ioGetevents,
                                 int ioUringSetup, int ioUringEnter, int ioUringRegister, int cachestat) {
    }

    private static final class Current {
        static final Arch ARCH = forOsArch(System.getProperty("os.arch"));
    }
}
