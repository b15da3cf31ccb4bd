package io.fdloop.file;

/**
 * How {@link AsyncFile#open} opens a file. Neither READ nor WRITE means READ, as in {@code FileChannel.open}.
 */
public enum FileOption {
    /** Open for reading. */
    READ,
    /** Open for writing. */
    WRITE,
    /** Create the file if it does not exist (O_CREAT). */
    CREATE,
    /** Create the file, failing if it exists (O_CREAT | O_EXCL). */
    CREATE_NEW,
    /** Truncate to zero length when opened for writing (O_TRUNC). */
    TRUNCATE,
    /**
     * Bypass the page cache (O_DIRECT). Buffers, offsets and lengths must then be aligned to what
     * {@link AsyncFile#directAlignment()} reports; {@link AlignedBuffers} allocates such buffers.
     * Direct files can use Linux AIO (truly asynchronous only for them) where io_uring is not usable.
     */
    DIRECT,
    /** Each write reaches stable storage before it completes, as if followed by fdatasync (O_DSYNC). */
    DSYNC,
    /**
     * Each write reaches stable storage with the file's metadata before it completes, as if followed
     * by fsync (O_SYNC). Implies {@link #DSYNC}.
     */
    SYNC
}
