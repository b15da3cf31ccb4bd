package io.fdloop.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * Loads the JNI library of {@code activemq-artemis-native} out of its jar, once per process.
 *
 * <p><b>Thread-safe</b> (class initialisation).
 *
 * <p>The jar ships {@code lib/linux-x86_64/libartemis-native-64.so}, and {@code LibaioContext}'s
 * static initialiser looks for it with {@code System.loadLibrary("artemis-native-64")}, that is on
 * {@code java.library.path}, which the JVM reads once at start-up. So this copies the library into
 * a private ({@code rwx------}) temporary directory, {@code System.load}s it from there, and removes
 * the copy at once (the loaded mapping stays). Loaded by a class of the same class loader, the
 * library serves {@code LibaioContext}'s native methods; its own {@code loadLibrary} then fails
 * quietly (it catches the error and logs it at debug level), so it skips two things it would
 * otherwise do, which this class does instead: the native version check is implied by the library
 * coming out of the same jar, and the shutdown hook that removes the {@code /tmp/artemisJLHandler_*}
 * file the library creates when it loads is registered here.
 *
 * <p>The library links against the system's {@code libaio.so.1}; without it the load fails and
 * {@link #unavailableBecause()} says how to install it.
 */
public final class ArtemisNative {
    private static final String RESOURCE = "lib/linux-x86_64/libartemis-native-64.so";
    private static final String PROBLEM = load();

    private ArtemisNative() {
    }

    /** Why the library could not be loaded, or null when it was. */
    public static String unavailableBecause() {
        return PROBLEM;
    }

    /** What a failed {@code System.load} means to a user. */
    static String explain(UnsatisfiedLinkError e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("libaio")) {
            return "Artemis's JNI library needs the system's libaio, which is missing: apt-get install libaio1"
                    + " (libaio1t64 on Debian 13 and Ubuntu 24.04 or later)";
        }
        return "Artemis's JNI library did not load: " + message;
    }

    private static String load() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return "activemq-artemis-native 2.0.0 ships its JNI library for linux-x86_64 only, this is " + arch;
        }
        try (InputStream in = ArtemisNative.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "activemq-artemis-native is not on the class path (" + RESOURCE + " not found)";
            }
            Path dir = Files.createTempDirectory("fdloop-artemis-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path library = dir.resolve("libartemis-native-64.so");
            try {
                Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
                System.load(library.toString());
            } finally {
                Files.deleteIfExists(library);
                Files.deleteIfExists(dir);
            }
        } catch (UnsatisfiedLinkError e) {
            return explain(e);
        } catch (IOException e) {
            return "could not extract Artemis's JNI library: " + e;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(ArtemisNative::removeStopFile));
        return null;
    }

    /** What {@code LibaioContext}'s own shutdown hook does: close and remove the library's /tmp file. */
    private static void removeStopFile() {
        try {
            Class<?> context = Class.forName("org.apache.activemq.artemis.nativo.jlibaio.LibaioContext");
            Method hook = context.getDeclaredMethod("shutdownHook");
            hook.setAccessible(true);
            hook.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // The JVM is exiting: nothing better to do than leave the file.
        }
    }
}
