package io.fdloop.internal.channel;

import io.fdloop.internal.linux.FileOpen;

import java.lang.ref.WeakReference;
import java.nio.channels.OverlappingFileLockException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * <b>Thread-safe: one monitor guards the table; locking is rare.</b> The locks fdloop channels in
 * this JVM hold or wait for, by file (device and inode, so every path and open of a file shares one
 * entry). A new lock overlapping one of them is refused with {@link OverlappingFileLockException},
 * as the JDK refuses overlaps among its own channels.
 *
 * <p>Entries are weak: a channel dropped without being closed does not keep its ranges here forever.
 */
final class LockTable {
    private static final Map<FileOpen.FileId, List<WeakReference<FdloopFileLock>>> LOCKS = new HashMap<>();

    private LockTable() {
    }

    /** @throws OverlappingFileLockException when a lock in the table overlaps {@code lock} */
    static void add(FileOpen.FileId file, FdloopFileLock lock) {
        synchronized (LOCKS) {
            List<WeakReference<FdloopFileLock>> list = LOCKS.computeIfAbsent(file, key -> new ArrayList<>(2));
            list.removeIf(ref -> ref.get() == null);
            for (WeakReference<FdloopFileLock> ref : list) {
                FdloopFileLock held = ref.get();
                if (held != null && held.overlaps(lock.position(), lock.size())) {
                    throw new OverlappingFileLockException();
                }
            }
            list.add(new WeakReference<>(lock));
        }
    }

    static void remove(FileOpen.FileId file, FdloopFileLock lock) {
        synchronized (LOCKS) {
            List<WeakReference<FdloopFileLock>> list = LOCKS.get(file);
            if (list == null) {
                return;
            }
            list.removeIf(ref -> ref.get() == null || ref.get() == lock);
            if (list.isEmpty()) {
                LOCKS.remove(file);
            }
        }
    }
}
