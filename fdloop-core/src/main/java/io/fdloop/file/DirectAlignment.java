package io.fdloop.file;

/**
 * What O_DIRECT requires of one file: buffer addresses must be multiples of {@code memory},
 * file offsets and lengths multiples of {@code offset}.
 *
 * @param memory           required buffer address alignment, in bytes
 * @param offset           required file offset and length alignment, in bytes
 * @param logicalBlockSize the device's logical block size, or 0 when unknown
 * @param source           where it was learned: {@code statx(STATX_DIOALIGN)}, the logical block size, or a default
 */
public record DirectAlignment(int memory, int offset, int logicalBlockSize, String source) {
}
