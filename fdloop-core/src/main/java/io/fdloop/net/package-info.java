/**
 * TCP (IPv4, IPv6) and Unix-domain stream sockets on fdloop's event loops, beside the files, in the
 * same {@code epoll_wait}.
 *
 * <pre>{@code
 * try (EventLoop loop = EventLoop.start()) {
 *     Listener echo = Listener.bind(loop, new InetSocketAddress("127.0.0.1", 0),
 *             connection -> (c, data) -> c.writeCopy(data));          // an echo server
 *     Connection client = Connection.connect(loop, echo.localAddress(), (c, data) -> handle(data)).join();
 *     client.writeCopy("hello".getBytes(StandardCharsets.US_ASCII));
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link io.fdloop.net.Listener} accepts; its {@link io.fdloop.net.Acceptor} gives each new
 *       {@link io.fdloop.net.Connection} its {@link io.fdloop.net.ConnectionHandler}.</li>
 *   <li>Reads arrive in {@code onData} as a view of the loop's own buffer (nothing copied or allocated),
 *       or go into your buffer with {@code read(dst)}.</li>
 *   <li>Writes are queued and leave together, one send per connection for what one read's handling or
 *       one iteration queued; {@code write} sends your buffer in place, {@code writeCopy}
 *       copies it first; {@code sendFile} sends a file range without copying it and without ever blocking
 *       the loop on the disk.</li>
 *   <li>Every callback and completion runs on the connection's loop thread; every method says which
 *       threads may call it.</li>
 * </ul>
 */
package io.fdloop.net;
