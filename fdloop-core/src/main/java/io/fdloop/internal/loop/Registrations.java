package io.fdloop.internal.loop;

import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Errors;

import java.io.IOException;
import java.util.Arrays;

/**
 * The loop's table of user registrations, indexed by the token carried in {@code epoll_event.data}.
 * A token is {@code generation << 32 | index}, so a stale event for a reused index is recognised.
 *
 * <p><b>Writers any thread (synchronized); the loop thread reads without locking</b>: the table
 * array is republished through a volatile field and an entry is set before its fd is added to epoll.
 */
final class Registrations {
    private volatile LoopRegistration[] table = new LoopRegistration[16];
    private int[] generations = new int[16];
    private int[] free = new int[16];
    private int freeCount;
    private int used;

    synchronized long nextToken() {
        int index;
        if (freeCount > 0) {
            index = free[--freeCount];
        } else {
            if (used == table.length) {
                grow();
            }
            index = used++;
        }
        int generation = ++generations[index];
        return ((long) generation << 32) | index;
    }

    synchronized void put(LoopRegistration registration) {
        LoopRegistration[] t = table;
        t[index(registration.token)] = registration;
        table = t; // volatile write: publishes the entry to the loop thread
    }

    synchronized void remove(LoopRegistration registration) {
        int index = index(registration.token);
        LoopRegistration[] t = table;
        if (t[index] == registration) {
            t[index] = null;
            table = t;
            if (freeCount == free.length) {
                free = Arrays.copyOf(free, freeCount * 2);
            }
            free[freeCount++] = index;
        }
    }

    /** The live registration for {@code token}, or null when it was cancelled or replaced. */
    LoopRegistration find(long token) {
        LoopRegistration[] t = table;
        int index = index(token);
        if (index >= t.length) {
            return null;
        }
        LoopRegistration r = t[index];
        return r != null && r.token == token ? r : null;
    }

    synchronized LoopRegistration[] snapshot() {
        return Arrays.stream(table).filter(r -> r != null).toArray(LoopRegistration[]::new);
    }

    private void grow() {
        table = Arrays.copyOf(table, table.length * 2);
        generations = Arrays.copyOf(generations, generations.length * 2);
    }

    /** What to tell a caller whose fd epoll_ctl refused with {@code negativeErrno}. */
    static IOException epollCtlError(int negativeErrno, int fd) {
        return switch (-negativeErrno) {
            case Errno.EEXIST -> new IOException("fd " + fd + " is already registered with this loop: "
                    + "modify its registration instead");
            case Errno.EPERM -> new IOException("fd " + fd + " cannot be waited on with epoll (regular files and "
                    + "directories are always ready): use AsyncFile for files");
            default -> Errors.ioException("epoll_ctl", negativeErrno, "fd " + fd);
        };
    }

    private static int index(long token) {
        return (int) token;
    }
}
