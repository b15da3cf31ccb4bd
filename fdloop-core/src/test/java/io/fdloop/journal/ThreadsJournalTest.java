package io.fdloop.journal;

import io.fdloop.file.FileBackend;

/** The journal's contract on the THREADS file backend. */
class ThreadsJournalTest extends JournalContract {
    @Override
    FileBackend backend() {
        return FileBackend.THREADS;
    }
}
