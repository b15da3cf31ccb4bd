package io.fdloop.internal.linux;

import java.lang.foreign.MemorySegment;

/**
 * The system calls fdloop makes, behind one narrow interface: the seam where tests inject
 * EAGAIN, partial submits, EINTR and EIO.
 *
 * <p><b>Thread-safe</b>: every implementation may be called from any thread at once.
 *
 * <p>Every method returns the call's non-negative result or {@code -errno}; none throws for a
 * failed call. Pointer arguments that point into caller-owned buffers are raw addresses
 * ({@code long}), so the hot path creates no segment objects.
 */
public interface Syscalls {

    /** The real kernel, through libc. */
    static Syscalls linux() {
        return LinuxSyscalls.INSTANCE;
    }

    /** {@code int epoll_create1(int flags)} */
    int epollCreate1(int flags);

    /** {@code int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)} */
    int epollCtl(int epfd, int op, int fd, MemorySegment event);

    /** {@code int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)} */
    int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMs);

    /** {@code int eventfd(unsigned int initval, int flags)} */
    int eventfd(int initialValue, int flags);

    /** {@code int timerfd_create(int clockid, int flags)} */
    int timerfdCreate(int clockId, int flags);

    /** {@code int timerfd_settime(int fd, int flags, const struct itimerspec *new, struct itimerspec *old)} */
    int timerfdSettime(int fd, int flags, MemorySegment newValue);

    /** {@code int clock_gettime(clockid_t clockid, struct timespec *tp)} */
    int clockGettime(int clockId, MemorySegment timespec);

    /** {@code ssize_t read(int fd, void *buf, size_t count)} */
    long read(int fd, long address, long count);

    /** {@code ssize_t write(int fd, const void *buf, size_t count)} */
    long write(int fd, long address, long count);

    /** {@code ssize_t pread(int fd, void *buf, size_t count, off_t offset)} */
    long pread(int fd, long address, long count, long offset);

    /** {@code ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)} */
    long pwrite(int fd, long address, long count, long offset);

    /** {@code ssize_t preadv(int fd, const struct iovec *iov, int iovcnt, off_t offset)} */
    long preadv(int fd, long iov, int iovCount, long offset);

    /** {@code ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset)} */
    long pwritev(int fd, long iov, int iovCount, long offset);

    /** {@code int fsync(int fd)} */
    int fsync(int fd);

    /** {@code int fdatasync(int fd)} */
    int fdatasync(int fd);

    /** {@code int close(int fd)} */
    int close(int fd);

    /** {@code int open(const char *pathname, int flags, mode_t mode)} */
    int open(MemorySegment path, int flags, int mode);

    /** {@code int statx(int dirfd, const char *pathname, int flags, unsigned int mask, struct statx *statxbuf)} */
    int statx(int dirFd, MemorySegment path, int flags, int mask, MemorySegment statx);

    /** {@code int fallocate(int fd, int mode, off_t offset, off_t len)} */
    int fallocate(int fd, int mode, long offset, long length);

    /** {@code int pipe2(int pipefd[2], int flags)} */
    int pipe2(MemorySegment fds, int flags);

    /** {@code int socketpair(int domain, int type, int protocol, int sv[2])} */
    int socketpair(int domain, int type, int protocol, MemorySegment fds);

    /** {@code int io_setup(unsigned nr_events, aio_context_t *ctx_idp)}, through {@code syscall(2)} */
    int ioSetup(int events, MemorySegment contextOut);

    /** {@code int io_destroy(aio_context_t ctx_id)} */
    int ioDestroy(long context);

    /** {@code int io_submit(aio_context_t ctx_id, long nr, struct iocb **iocbpp)}: how many were accepted */
    int ioSubmit(long context, long count, MemorySegment iocbPointers);

    /** {@code int io_getevents(aio_context_t ctx_id, long min_nr, long nr, struct io_event *events, struct timespec *timeout)} */
    int ioGetevents(long context, long minCount, long count, MemorySegment events, MemorySegment timeout);


    /** {@code int io_uring_setup(u32 entries, struct io_uring_params *p)}, through {@code syscall(2)} */
    int ioUringSetup(int entries, MemorySegment params);

    /** {@code int io_uring_enter(unsigned int fd, u32 to_submit, u32 min_complete, u32 flags, const sigset_t *sig, size_t sz)} */
    int ioUringEnter(int fd, int toSubmit, int minComplete, int flags);

    /** {@code int io_uring_register(unsigned int fd, unsigned int opcode, void *arg, unsigned int nr_args)} */
    int ioUringRegister(int fd, int opcode, MemorySegment arg, int argCount);

    /** {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)}: the address or -errno */
    long mmap(long address, long length, int protection, int flags, int fd, long offset);

    /** {@code int munmap(void *addr, size_t length)} */
    int munmap(long address, long length);

    /** {@code int ftruncate(int fd, off_t length)} */
    int ftruncate(int fd, long length);

    /** {@code int fcntl(int fd, int cmd, struct flock *lock)}, for the lock commands */
    int fcntlLock(int fd, int command, MemorySegment flock);

    /** {@code int fcntl(int fd, int cmd, int arg)}, for the commands that take an int (F_GETFL, F_SETFL) */
    int fcntlInt(int fd, int command, int argument);

    // ---- sockets ------------------------------------------------------------------------

    /** {@code int socket(int domain, int type, int protocol)} */
    int socket(int domain, int type, int protocol);

    /** {@code int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)} */
    int bind(int fd, MemorySegment address, int addressLength);

    /** {@code int listen(int sockfd, int backlog)} */
    int listen(int fd, int backlog);

    /** {@code int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags)} */
    int accept4(int fd, MemorySegment address, MemorySegment addressLength, int flags);

    /** {@code int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen)} */
    int connect(int fd, MemorySegment address, int addressLength);

    /** {@code int shutdown(int sockfd, int how)} */
    int shutdown(int fd, int how);

    /** {@code int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen)} */
    int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment valueLength);

    /** {@code int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen)} */
    int setsockopt(int fd, int level, int name, MemorySegment value, int valueLength);

    /** {@code int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen)} */
    int getsockname(int fd, MemorySegment address, MemorySegment addressLength);

    /** {@code int getpeername(int sockfd, struct sockaddr *addr, socklen_t *addrlen)} */
    int getpeername(int fd, MemorySegment address, MemorySegment addressLength);


    /**
     * {@code ssize_t recv(int sockfd, void *buf, size_t len, int flags)}. errno is captured by the
     * call itself, never by a repeat: a socket error (ECONNRESET) is consumed by the call that reports it.
     */
    long recv(int fd, long address, long length, int flags);

    /** {@code ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags)}; errno captured as for {@link #recv}. */
    long sendmsg(int fd, long msghdr, int flags);

    /** {@code ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count)} */
    long sendfile(int outFd, int inFd, long offsetPointer, long count);

    /** {@code ssize_t preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags)} */
    long preadv2(int fd, long iov, int iovCount, long offset, int flags);

    /**
     * {@code int cachestat(unsigned int fd, struct cachestat_range *cstat_range, struct cachestat *cstat,
     * unsigned int flags)} (Linux 6.5), through {@code syscall(2)}: {@code -ENOSYS} on older kernels.
     */
    int cachestat(int fd, MemorySegment range, MemorySegment stat, int flags);
}
