package io.fdloop.internal.http.files;

import java.util.Objects;

/**
 * One stored form of a served file: the file itself (identity) or a precompressed sibling. Each has
 * its own validators: the strong {@code ETag} is made of the stored file's modification time (in
 * nanoseconds), size and inode, plus the coding, so two representations never share one.
 *
 * <p><b>Immutable; any thread</b> (its {@link OpenFile} is loop-thread only).
 *
 * @param coding          how the bytes are encoded
 * @param file            the open file
 * @param length          the representation's length in bytes, as it was when opened
 * @param modifiedSeconds the stored file's modification time, in seconds since the epoch
 * @param etag            the strong entity tag, quotes included
 * @param lastModified    {@code modifiedSeconds} as an HTTP-date, formatted once
 */
public record Representation(ContentCoding coding, OpenFile file, long length, long modifiedSeconds, String etag,
                             String lastModified) {
    public Representation {
        Objects.requireNonNull(coding, "coding");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
    }

    /** {@code "<mtime ns hex>-<size hex>-<inode hex>"}, and {@code -br}/{@code -gzip} for an encoded sibling. */
    public static String etag(long modifiedNanos, long size, long inode, ContentCoding coding) {
        StringBuilder sb = new StringBuilder(40).append('"')
                .append(Long.toHexString(modifiedNanos)).append('-')
                .append(Long.toHexString(size)).append('-')
                .append(Long.toHexString(inode));
        if (coding != ContentCoding.IDENTITY) {
            sb.append('-').append(coding.token());
        }
        return sb.append('"').toString();
    }
}
