package io.fdloop.cli;

import io.fdloop.net.NetMechanism;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code fdloop echo-server} as a user runs it: a child process that prints where it listens, echoes,
 * and exits 0 on SIGTERM.
 */
class EchoServerCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "uring"})
    void shouldEchoUntilSigtermThenExitZero(String mechanism) throws Exception {
        NetMechanism choice = NetMechanism.valueOf(mechanism.toUpperCase(java.util.Locale.ROOT));
        assumeTrue(choice.isAvailable(), () -> mechanism + " is unavailable here: " + choice.unavailabilityCause());
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "echo-server", "--port", "0", "--loops", "2", "--mechanism", mechanism)
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            Matcher listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(String.valueOf(line));
            assertTrue(listening.matches(), "first line: " + line);
            int port = Integer.parseInt(listening.group(1));
            assertTrue(port > 0, "the real port, not 0");

            for (int round = 0; round < 4; round++) { // connections land on both loops
                byte[] sent = new byte[200_000];
                new Random(round).nextBytes(sent);
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    socket.setSoTimeout(30_000);
                    OutputStream toServer = socket.getOutputStream();
                    InputStream fromServer = socket.getInputStream();
                    CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                        try {
                            toServer.write(sent);
                            socket.shutdownOutput();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    byte[] echoed = fromServer.readAllBytes();
                    writing.get(30, TimeUnit.SECONDS);
                    assertArrayEquals(sent, echoed, "round " + round);
                }
            }
            server.destroy(); // SIGTERM
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server exited after SIGTERM");
            assertEquals(0, server.exitValue(), "graceful exit");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void shouldRefuseAnUnknownMechanism() throws Exception {
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "echo-server", "--port", "0", "--mechanism", "carrier-pigeon")
                .redirectErrorStream(true).start();
        assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        String output = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, server.exitValue(), output);
        assertTrue(output.contains("--mechanism must be auto, epoll or uring"), output);
    }
}
