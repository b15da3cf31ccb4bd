package io.fdloop.internal.loop;

import java.util.Arrays;

/**
 * The loop's table of fds watched by internal engines (sockets), indexed by the token carried in
 * {@code epoll_event.data}. A token is {@link #TOKEN_BIT} | {@code generation << 32} | index (all
 * inside the loop's internal, negative token range), so an event still in the ready array for an
 * fd that was unwatched, and whose index was reused, in the same iteration is recognised as stale.
 *
 * <p><b>Loop thread only.</b>
 */
public final class FdWatches {
    /** Set in every watch token (bit 63 marks the loop's internal tokens; bit 62 these). */
    public static final long TOKEN_BIT = Long.MIN_VALUE | (1L << 62);
    private static final long GENERATION_MASK = 0x3fff_ffffL;

    private FdWatcher[] watchers = new FdWatcher[64];
    private int[] generations = new int[64];
    private int[] free = new int[64];
    private int freeCount;
    private int used;
    private int live;

    public static boolean isWatchToken(long token) {
        return (token & TOKEN_BIT) == TOKEN_BIT;
    }

    /** A token for {@code watcher}, which {@link #find} returns until {@link #remove}. */
    public long add(FdWatcher watcher) {
        int index;
        if (freeCount > 0) {
            index = free[--freeCount];
        } else {
            if (used == watchers.length) {
                watchers = Arrays.copyOf(watchers, used * 2);
                generations = Arrays.copyOf(generations, used * 2);
            }
            index = used++;
        }
        watchers[index] = watcher;
        live++;
        long generation = ++generations[index] & GENERATION_MASK;
        return TOKEN_BIT | generation << 32 | index;
    }

    public void remove(long token) {
        int index = (int) token;
        if (find(token) == null) {
            return;
        }
        watchers[index] = null;
        live--;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, freeCount * 2);
        }
        free[freeCount++] = index;
    }

    /** The watcher for {@code token}, or null when it was removed (and maybe its index reused). */
    public FdWatcher find(long token) {
        int index = (int) token;
        if (index < 0 || index >= used) {
            return null;
        }
        long generation = (token >>> 32) & GENERATION_MASK;
        return (generations[index] & GENERATION_MASK) == generation ? watchers[index] : null;
    }

    /** How many fds are watched. */
    public int size() {
        return live;
    }
}
