package io.fdloop.internal.linux;

import java.lang.foreign.MemorySegment;

/**
 * The real kernel, with every call overridable: the seam tests use to inject what the kernel
 * will not produce on demand (EAGAIN from a full ring, a partial submit, EINTR, EIO).
 */
public class ForwardingSyscalls implements Syscalls {
    protected final Syscalls kernel = Syscalls.linux();

    @Override
    public int epollCreate1(int flags) {
        return kernel.epollCreate1(flags);
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        return kernel.epollCtl(epfd, op, fd, event);
    }

    @Override
    public int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMs) {
        return kernel.epollWait(epfd, events, maxEvents, timeoutMs);
    }

    @Override
    public int eventfd(int initialValue, int flags) {
        return kernel.eventfd(initialValue, flags);
    }

    @Override
    public int timerfdCreate(int clockId, int flags) {
        return kernel.timerfdCreate(clockId, flags);
    }

    @Override
    public int timerfdSettime(int fd, int flags, MemorySegment newValue) {
        return kernel.timerfdSettime(fd, flags, newValue);
    }

    @Override
    public int clockGettime(int clockId, MemorySegment timespec) {
        return kernel.clockGettime(clockId, timespec);
    }

    @Override
    public long read(int fd, long address, long count) {
        return kernel.read(fd, address, count);
    }

    @Override
    public long write(int fd, long address, long count) {
        return kernel.write(fd, address, count);
    }

    @Override
    public long pread(int fd, long address, long count, long offset) {
        return kernel.pread(fd, address, count, offset);
    }

    @Override
    public long pwrite(int fd, long address, long count, long offset) {
        return kernel.pwrite(fd, address, count, offset);
    }

    @Override
    public long preadv(int fd, long iov, int iovCount, long offset) {
        return kernel.preadv(fd, iov, iovCount, offset);
    }

    @Override
    public long pwritev(int fd, long iov, int iovCount, long offset) {
        return kernel.pwritev(fd, iov, iovCount, offset);
    }

    @Override
    public int fsync(int fd) {
        return kernel.fsync(fd);
    }

    @Override
    public int fdatasync(int fd) {
        return kernel.fdatasync(fd);
    }

    @Override
    public int close(int fd) {
        return kernel.close(fd);
    }

    @Override
    public int open(MemorySegment path, int flags, int mode) {
        return kernel.open(path, flags, mode);
    }

    @Override
    public int statx(int dirFd, MemorySegment path, int flags, int mask, MemorySegment statx) {
        return kernel.statx(dirFd, path, flags, mask, statx);
    }

    @Override
    public int fallocate(int fd, int mode, long offset, long length) {
        return kernel.fallocate(fd, mode, offset, length);
    }

    @Override
    public int pipe2(MemorySegment fds, int flags) {
        return kernel.pipe2(fds, flags);
    }

    @Override
    public int socketpair(int domain, int type, int protocol, MemorySegment fds) {
        return kernel.socketpair(domain, type, protocol, fds);
    }

    @Override
    public int ioSetup(int events, MemorySegment contextOut) {
        return kernel.ioSetup(events, contextOut);
    }

    @Override
    public int ioDestroy(long context) {
        return kernel.ioDestroy(context);
    }

    @Override
    public int ioSubmit(long context, long count, MemorySegment iocbPointers) {
        return kernel.ioSubmit(context, count, iocbPointers);
    }

    @Override
    public int ioGetevents(long context, long minCount, long count, MemorySegment events, MemorySegment timeout) {
        return kernel.ioGetevents(context, minCount, count, events, timeout);
    }

    @Override
    public int ioUringSetup(int entries, MemorySegment params) {
        return kernel.ioUringSetup(entries, params);
    }

    @Override
    public int ioUringEnter(int fd, int toSubmit, int minComplete, int flags) {
        return kernel.ioUringEnter(fd, toSubmit, minComplete, flags);
    }

    @Override
    public int ioUringRegister(int fd, int opcode, MemorySegment arg, int argCount) {
        return kernel.ioUringRegister(fd, opcode, arg, argCount);
    }

    @Override
    public long mmap(long address, long length, int protection, int flags, int fd, long offset) {
        return kernel.mmap(address, length, protection, flags, fd, offset);
    }

    @Override
    public int munmap(long address, long length) {
        return kernel.munmap(address, length);
    }

    @Override
    public int ftruncate(int fd, long length) {
        return kernel.ftruncate(fd, length);
    }

    @Override
    public int fcntlLock(int fd, int command, MemorySegment flock) {
        return kernel.fcntlLock(fd, command, flock);
    }

    @Override
    public int fcntlInt(int fd, int command, int argument) {
        return kernel.fcntlInt(fd, command, argument);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return kernel.socket(domain, type, protocol);
    }

    @Override
    public int bind(int fd, MemorySegment address, int addressLength) {
        return kernel.bind(fd, address, addressLength);
    }

    @Override
    public int listen(int fd, int backlog) {
        return kernel.listen(fd, backlog);
    }

    @Override
    public int accept4(int fd, MemorySegment address, MemorySegment addressLength, int flags) {
        return kernel.accept4(fd, address, addressLength, flags);
    }

    @Override
    public int connect(int fd, MemorySegment address, int addressLength) {
        return kernel.connect(fd, address, addressLength);
    }

    @Override
    public int shutdown(int fd, int how) {
        return kernel.shutdown(fd, how);
    }

    @Override
    public int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment valueLength) {
        return kernel.getsockopt(fd, level, name, value, valueLength);
    }

    @Override
    public int setsockopt(int fd, int level, int name, MemorySegment value, int valueLength) {
        return kernel.setsockopt(fd, level, name, value, valueLength);
    }

    @Override
    public int getsockname(int fd, MemorySegment address, MemorySegment addressLength) {
        return kernel.getsockname(fd, address, addressLength);
    }

    @Override
    public int getpeername(int fd, MemorySegment address, MemorySegment addressLength) {
        return kernel.getpeername(fd, address, addressLength);
    }


    @Override
    public long recv(int fd, long address, long length, int flags) {
        return kernel.recv(fd, address, length, flags);
    }

    @Override
    public long sendmsg(int fd, long msghdr, int flags) {
        return kernel.sendmsg(fd, msghdr, flags);
    }

    @Override
    public long sendfile(int outFd, int inFd, long offsetPointer, long count) {
        return kernel.sendfile(outFd, inFd, offsetPointer, count);
    }

    @Override
    public long preadv2(int fd, long iov, int iovCount, long offset, int flags) {
        return kernel.preadv2(fd, iov, iovCount, offset, flags);
    }

    @Override
    public int cachestat(int fd, MemorySegment range, MemorySegment stat, int flags) {
        return kernel.cachestat(fd, range, stat, flags);
    }
}
