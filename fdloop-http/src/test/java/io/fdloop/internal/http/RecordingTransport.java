package io.fdloop.internal.http;

import io.fdloop.file.AlignedBuffers;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.DirectAlignment;
import io.fdloop.file.IoHandler;
import io.fdloop.internal.http.response.BodyPart;
import io.fdloop.internal.http.response.ResponsePlan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A transport that carries plans out into memory instead of a socket, one after the other, as the
 * HttpTransport contract asks: file regions are read through the file's own AsyncFile (aligned reads
 * for O_DIRECT files), each finished plan is reported with sent(), and a closing plan or close() ends
 * the connection with closed(). Loop thread only, like the real one.
 */
final class RecordingTransport implements HttpTransport {
    private static final int CHUNK = 64 * 1024;

    private final MemorySegment scratch = Arena.ofAuto().allocate(CHUNK + 8192, 4096);
    private final ArrayDeque<ResponsePlan> queue = new ArrayDeque<>();
    private final List<byte[]> responses = new ArrayList<>();
    private final List<ResponsePlan> plans = new ArrayList<>();
    private HttpSession session;
    private ByteArrayOutputStream current;
    private boolean writing;
    private boolean closeWhenIdle;
    private volatile boolean closed;
    private volatile boolean aborted;
    private int pauses;
    private int resumes;
    private boolean paused;

    void attach(HttpSession session) {
        this.session = session;
    }

    @Override
    public void send(ResponsePlan plan) {
        if (closed) {
            throw new AssertionError("send after close: " + plan);
        }
        queue.add(plan);
        if (!writing) {
            next();
        }
    }

    @Override
    public void pauseReading() {
        if (paused) {
            throw new AssertionError("paused twice");
        }
        paused = true;
        pauses++;
    }

    @Override
    public void resumeReading() {
        if (!paused) {
            throw new AssertionError("resumed without a pause");
        }
        paused = false;
        resumes++;
    }

    @Override
    public void close() {
        closeWhenIdle = true;
        if (!writing) {
            finishClose();
        }
    }

    @Override
    public void abort() {
        aborted = true;
        queue.clear();
        finishClose();
    }

    private void next() {
        ResponsePlan plan = queue.poll();
        if (plan == null) {
            writing = false;
            if (closeWhenIdle) {
                finishClose();
            }
            return;
        }
        writing = true;
        current = new ByteArrayOutputStream();
        current.writeBytes(plan.head().toArray(ValueLayout.JAVA_BYTE));
        part(plan, 0);
    }

    private void part(ResponsePlan plan, int index) {
        if (closed) {
            return;
        }
        if (index == plan.body().size()) {
            byte[] bytes = current.toByteArray();
            synchronized (responses) {
                responses.add(bytes);
                plans.add(plan);
            }
            session.sent(plan);
            if (plan.closeAfter()) {
                queue.clear();
                finishClose();
                return;
            }
            next();
            return;
        }
        switch (plan.body().get(index)) {
            case BodyPart.Bytes b -> {
                current.writeBytes(b.bytes().toArray(ValueLayout.JAVA_BYTE));
                part(plan, index + 1);
            }
            case BodyPart.FileRegion r -> region(plan, index, r.file(), r.position(), r.length());
        }
    }

    /** Reads [position, position + remaining) of the file in chunks, then goes on with the next part. */
    private void region(ResponsePlan plan, int index, AsyncFile file, long position, long remaining) {
        if (remaining == 0) {
            part(plan, index + 1);
            return;
        }
        long alignedStart = position;
        int length = (int) Math.min(CHUNK, remaining);
        int readLength = length;
        MemorySegment buffer;
        if (file.isDirect()) {
            DirectAlignment a = file.directAlignment();
            alignedStart = position - position % a.offset();
            long alignedEnd = position + length;
            alignedEnd += (a.offset() - alignedEnd % a.offset()) % a.offset();
            readLength = (int) (alignedEnd - alignedStart);
            buffer = a.memory() <= 4096 ? scratch.asSlice(0, readLength)
                    : AlignedBuffers.allocate(Arena.ofAuto(), file, readLength);
        } else {
            buffer = scratch.asSlice(0, readLength);
        }
        long skip = position - alignedStart;
        long start = alignedStart;
        file.read(buffer, start, null, new IoHandler<Object>() {
            @Override
            public void completed(int bytes, Object ignored) {
                long usable = bytes - skip;
                if (usable < length) {
                    long bodySent = current.size() - plan.head().byteSize();
                    session.fileChanged(plan, Math.max(0, bodySent), new IOException("the file came up short"));
                    queue.clear();
                    finishClose();
                    return;
                }
                current.writeBytes(buffer.asSlice(skip, length).toArray(ValueLayout.JAVA_BYTE));
                region(plan, index, file, position + length, remaining - length);
            }

            @Override
            public void failed(Throwable error, Object ignored) {
                long bodySent = current.size() - plan.head().byteSize();
                session.sendFailed(plan, Math.max(0, bodySent), error);
                queue.clear();
                finishClose();
            }
        });
    }

    private void finishClose() {
        if (!closed) {
            closed = true;
            writing = false;
            session.closed();
        }
    }

    boolean isClosed() {
        return closed;
    }

    boolean wasAborted() {
        return aborted;
    }

    int pauses() {
        return pauses;
    }

    int resumes() {
        return resumes;
    }

    List<byte[]> responses() {
        synchronized (responses) {
            return List.copyOf(responses);
        }
    }

    List<ResponsePlan> plans() {
        synchronized (responses) {
            return List.copyOf(plans);
        }
    }
}
