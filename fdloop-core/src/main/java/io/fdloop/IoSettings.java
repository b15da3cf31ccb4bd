package io.fdloop;

/**
 * The settings of one kind of I/O for the loops built with them, given to
 * {@link EventLoop.Builder#with(IoSettings)}: {@code io.fdloop.file.FileSettings} for files, and so on
 * for each kind. A loop knows no kind of I/O itself; each kind reads its own settings when it first
 * runs on a loop, and uses its defaults when none were given.
 *
 * <p><b>Implementations are immutable and thread-safe.</b>
 */
public interface IoSettings {
}
