/**
 * Files whose reads, writes and syncs complete on an event loop: {@link io.fdloop.file.AsyncFile},
 * served by io_uring, Linux AIO (for {@code O_DIRECT} files) or a thread pool, whichever the host
 * allows ({@link io.fdloop.file.FileBackend}, {@link io.fdloop.file.FileSettings}); and
 * {@link io.fdloop.file.FdloopFileChannel}, a {@link java.nio.channels.AsynchronousFileChannel} on the
 * same machinery, which {@link io.fdloop.file.FdloopFileSystemProvider} gives unmodified applications.
 *
 * <pre>{@code
 * try (EventLoop loop = EventLoop.start();
 *      AsyncFile file = AsyncFile.open(loop, Path.of("data.bin"), FileOption.READ, FileOption.DIRECT)) {
 *     MemorySegment block = AlignedBuffers.allocate(file, 4096);
 *     file.read(block, 0).thenAccept(bytes -> System.out.println(bytes + " bytes")).join();
 * }
 * }</pre>
 */
package io.fdloop.file;
