package io.fdloop.internal.channel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * The JDK's default thread pool for asynchronous channels, made as the JDK makes it, for when its
 * properties ask for it: {@code java.nio.channels.DefaultThreadPool.threadFactory} (a class name,
 * loaded by the system class loader and made with its public no-argument constructor) or
 * {@code java.nio.channels.DefaultThreadPool.initialSize}. A cached pool of that factory's threads,
 * shared by every channel opened without an executor. With neither property set there is none, and
 * such channels run their handlers on the loop thread.
 *
 * <p><b>Thread-safe.</b>
 */
final class JdkDefaultPool {
    private static final String FACTORY = "java.nio.channels.DefaultThreadPool.threadFactory";
    private static final String INITIAL_SIZE = "java.nio.channels.DefaultThreadPool.initialSize";

    private JdkDefaultPool() {
    }

    /** The pool when the JDK's properties ask for one, else null. */
    static ExecutorService ifConfigured() {
        if (System.getProperty(FACTORY) == null && System.getProperty(INITIAL_SIZE) == null) {
            return null;
        }
        return Holder.POOL;
    }

    private static final class Holder {
        static final ExecutorService POOL = Executors.newCachedThreadPool(factory());

        private static ThreadFactory factory() {
            String name = System.getProperty(FACTORY);
            if (name == null) {
                return Thread.ofPlatform().daemon(true).factory();
            }
            try {
                Class<?> type = Class.forName(name, true, ClassLoader.getSystemClassLoader());
                return (ThreadFactory) type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new Error("cannot make the thread factory " + name + " named by -D" + FACTORY, e);
            }
        }
    }
}
