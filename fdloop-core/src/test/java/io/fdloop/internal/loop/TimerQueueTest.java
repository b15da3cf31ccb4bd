package io.fdloop.internal.loop;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop's timer heap, on its own (it is loop-thread only, so a plain unit test). */
class TimerQueueTest {
    private static final Runnable NOTHING = () -> { };

    @Test
    void shouldPollEqualDeadlinesInTheOrderTheyWereAdded() {
        TimerQueue queue = new TimerQueue();
        List<LoopTimer> added = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            LoopTimer timer = timer(100 + i % 7); // seven deadlines, each shared by many timers
            queue.add(timer);
            added.add(timer);
        }
        List<LoopTimer> expected = new ArrayList<>(added);
        expected.sort(Comparator.comparingLong((LoopTimer t) -> t.deadlineNs)); // stable: keeps insertion order
        assertEquals(expected, pollAll(queue));
    }

    @Test
    void shouldPollInDeadlineOrder() {
        TimerQueue queue = new TimerQueue();
        assertNull(queue.peek());
        assertNull(queue.poll());
        assertEquals(Long.MAX_VALUE, queue.earliestDeadline());
        long[] deadlines = {50, 10, 40, 0, 30, 20, 5, Long.MAX_VALUE, -3};
        for (long deadline : deadlines) {
            queue.add(timer(deadline));
        }
        assertEquals(-3, queue.earliestDeadline());
        List<Long> polled = pollAll(queue).stream().map(t -> t.deadlineNs).toList();
        assertEquals(List.of(-3L, 0L, 5L, 10L, 20L, 30L, 40L, 50L, Long.MAX_VALUE), polled);
    }

    @Test
    void shouldRemoveOnlyWhatIsQueued() {
        TimerQueue queue = new TimerQueue();
        LoopTimer a = timer(1);
        LoopTimer b = timer(2);
        LoopTimer stranger = timer(1);
        queue.add(a);
        queue.add(b);
        assertFalse(queue.remove(stranger), "never added");
        assertTrue(queue.remove(a));
        assertEquals(-1, a.heapIndex);
        assertFalse(queue.remove(a), "already removed");
        assertSame(b, queue.poll());
        assertFalse(queue.remove(b), "already polled");
        assertEquals(0, queue.size());

        TimerQueue other = new TimerQueue();
        LoopTimer c = timer(3);
        other.add(c);
        assertFalse(queue.remove(c), "queued elsewhere, at an index this queue does not hold");
        queue.add(timer(9));
        queue.add(timer(8));
        LoopTimer d = timer(4);
        other.add(d); // index 1 in the other queue
        assertFalse(queue.remove(d), "another queue's timer at an index this queue holds");
        assertEquals(2, queue.size());
    }

    @Test
    void shouldDrainEverythingAndForgetIndexes() {
        TimerQueue queue = new TimerQueue();
        List<LoopTimer> added = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            LoopTimer timer = timer(i % 13);
            queue.add(timer);
            added.add(timer);
        }
        LoopTimer[] drained = queue.drain();
        assertEquals(200, drained.length);
        assertEquals(new java.util.HashSet<>(added), new java.util.HashSet<>(List.of(drained)));
        for (LoopTimer timer : drained) {
            assertEquals(-1, timer.heapIndex);
        }
        assertEquals(0, queue.size());
        assertNull(queue.peek());
        queue.add(added.get(5));
        assertSame(added.get(5), queue.poll(), "usable after a drain");
    }

    @Test
    void shouldHold100000PendingTimersAndRemoveThemAllInRandomOrder() {
        TimerQueue queue = new TimerQueue();
        Random random = new Random(42);
        List<LoopTimer> timers = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            LoopTimer timer = timer(random.nextInt(1_000_000));
            queue.add(timer);
            timers.add(timer);
        }
        assertEquals(100_000, queue.size());
        assertEquals(timers.stream().mapToLong(t -> t.deadlineNs).min().orElseThrow(), queue.earliestDeadline());
        Collections.shuffle(timers, random);
        for (int i = 0; i < timers.size(); i++) {
            assertTrue(queue.remove(timers.get(i)), "timer " + i);
            if (i % 10_000 == 0) {
                assertHeap(queue);
            }
        }
        assertEquals(0, queue.size());
        assertNull(queue.poll());
    }

    @Test
    void shouldMatchAnOrderedSetUnderRandomAddsRemovesAndPolls() {
        TimerQueue queue = new TimerQueue();
        Comparator<LoopTimer> order = Comparator.<LoopTimer>comparingLong(t -> t.deadlineNs).thenComparingLong(t -> t.sequence);
        TreeSet<LoopTimer> model = new TreeSet<>(order);
        List<LoopTimer> live = new ArrayList<>();
        Random random = new Random(7);
        for (int step = 0; step < 50_000; step++) {
            int op = random.nextInt(10);
            if (op < 5 || live.isEmpty()) {
                LoopTimer timer = timer(random.nextInt(500));
                queue.add(timer);
                model.add(timer);
                live.add(timer);
            } else if (op < 8) {
                LoopTimer timer = live.remove(random.nextInt(live.size()));
                assertTrue(queue.remove(timer));
                assertTrue(model.remove(timer));
            } else {
                LoopTimer polled = queue.poll();
                assertSame(model.pollFirst(), polled, "step " + step);
                live.remove(polled);
            }
            assertEquals(model.size(), queue.size());
            assertSame(model.isEmpty() ? null : model.first(), queue.peek(), "step " + step);
        }
        assertHeap(queue);
    }

    private static void assertHeap(TimerQueue queue) {
        List<LoopTimer> all = pollAll(queue);
        for (int i = 1; i < all.size(); i++) {
            LoopTimer a = all.get(i - 1);
            LoopTimer b = all.get(i);
            assertTrue(a.deadlineNs < b.deadlineNs || (a.deadlineNs == b.deadlineNs && a.sequence < b.sequence),
                    "order at " + i);
        }
        for (LoopTimer timer : all) {
            queue.add(timer); // put them back (with new sequences: their relative order is kept)
        }
    }

    private static List<LoopTimer> pollAll(TimerQueue queue) {
        List<LoopTimer> polled = new ArrayList<>();
        LoopTimer timer;
        while ((timer = queue.poll()) != null) {
            assertEquals(-1, timer.heapIndex);
            polled.add(timer);
        }
        return polled;
    }

    private static LoopTimer timer(long deadlineNs) {
        return new LoopTimer(null, NOTHING, deadlineNs, 0); // no reactor: the heap never calls it
    }
}
