/**
 * The event loop: one thread waiting in one {@code epoll_wait} on every kind of file descriptor —
 * disk completions (io_uring or Linux AIO signalling an eventfd), sockets, timers, signals and user
 * events.
 *
 * <pre>{@code
 * try (EventLoop loop = EventLoop.start()) {
 *     loop.schedule(Duration.ofMillis(100), () -> System.out.println("tick"));
 *     loop.onSignal(Signal.TERM, loop::close);
 *     EventFd poke = EventFd.create();
 *     loop.register(poke, Interest.READ, (registration, ready) -> System.out.println("poked"));
 *     loop.execute(() -> System.out.println("on the loop thread"));
 * }
 * }</pre>
 *
 * <p>{@link io.fdloop.EventLoop} is the loop; {@link io.fdloop.EventFd}, {@link io.fdloop.Registration},
 * {@link io.fdloop.Timer} and {@link io.fdloop.SignalRegistration} are what it waits on. Kinds of I/O
 * live in their own packages ({@code io.fdloop.file}) and bring their own settings
 * ({@link io.fdloop.IoSettings}). Every method says whether it is for any thread or the loop thread
 * only; callbacks, timers and completions run on the loop thread.
 */
package io.fdloop;
