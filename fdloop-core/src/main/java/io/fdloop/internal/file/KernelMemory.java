package io.fdloop.internal.file;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Whether fdloop can keep a buffer's memory valid for as long as the kernel may use it.
 *
 * <ul>
 *   <li>Memory that is freed only when nothing references it — {@link Arena#global()},
 *       {@link Arena#ofAuto()}, a {@link java.nio.ByteBuffer#allocateDirect direct ByteBuffer} or a
 *       mapped one — is <b>held</b>: the operation keeps a reference until its completion is reaped,
 *       and the kernel uses the caller's memory directly.</li>
 *   <li>Memory of an arena anyone may close at any time ({@link Arena#ofShared()}, and buffers that
 *       view it) cannot be pinned through the public FFM API, so it is <b>bounced</b>: the kernel uses
 *       a buffer of the loop's, copied from the caller's before a write and into it after a read (if
 *       the arena was closed meanwhile, the read fails with {@link IllegalStateException}).</li>
 *   <li>Segments of a {@link Arena#ofConfined() confined} arena are refused, as the JDK's
 *       asynchronous channels refuse them: the loop thread may not touch them, and their owner can
 *       free them at any time.</li>
 * </ul>
 * The JDK offers no public test for whether a scope can be closed; the scope's implementation
 * class tells it, and any class not known to be safe is treated as closeable (bounced).
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class KernelMemory {
    private static final Thread NOT_AN_OWNER = Thread.ofPlatform().unstarted(() -> { });
    private static final ClassValue<Boolean> FREED_ONLY_WHEN_UNREACHABLE = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> scopeClass) {
            return switch (scopeClass.getName()) {
                case "jdk.internal.foreign.GlobalSession", "jdk.internal.foreign.GlobalSession$HeapSession",
                     "jdk.internal.foreign.ImplicitSession" -> true;
                default -> false;
            };
        }
    };

    private KernelMemory() {
    }

    /**
     * True when the kernel may use {@code segment} directly (the operation holds it), false when it
     * must be bounced.
     *
     * @throws IllegalStateException when the segment's arena is closed, or confined to a thread
     */
    public static boolean canHold(MemorySegment segment) {
        MemorySegment.Scope scope = segment.scope();
        if (!scope.isAlive()) {
            throw new IllegalStateException("Already closed");
        }
        if (!segment.isAccessibleBy(NOT_AN_OWNER)) {
            throw new IllegalStateException("Confined session not supported: a segment of a confined arena cannot be "
                    + "used for asynchronous I/O (its owner thread could free it while the kernel uses it); use "
                    + "Arena.ofShared(), Arena.ofAuto() or Arena.global()");
        }
        return FREED_ONLY_WHEN_UNREACHABLE.get(scope.getClass());
    }
}
