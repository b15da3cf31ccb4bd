/**
 * A group-commit journal (write-ahead log) on one fdloop {@link io.fdloop.EventLoop}: append
 * records from any thread, get each record's position once it is durable, recover and replay
 * after a crash.
 *
 * <pre>{@code
 * try (EventLoop loop = EventLoop.start();
 *      Journal journal = Journal.builder(loop, Path.of("wal")).open()) {   // recovers what is there
 *     System.out.println(journal.recovery());                             // records found, where and why the scan stopped
 *     CompletableFuture<Long> durable = journal.append("order 17 paid".getBytes(UTF_8));
 *     long position = durable.join();                                     // on disk now (group commit + fdatasync)
 *     try (JournalReader reader = journal.reader(0)) {                    // replay from the start
 *         for (JournalRecord r; (r = reader.next()) != null; ) System.out.println(r.position() + " " + r.length());
 *     }
 *     journal.release(position);                                          // segments before it are recycled
 * }
 * }</pre>
 *
 * <p>{@link io.fdloop.journal.Journal} is the entry point; {@link io.fdloop.journal.Durability}
 * says what "durable" means per mode; {@link io.fdloop.journal.RecoveryReport} and
 * {@link io.fdloop.journal.RecoveryStop} say what opening a journal found.
 */
package io.fdloop.journal;

