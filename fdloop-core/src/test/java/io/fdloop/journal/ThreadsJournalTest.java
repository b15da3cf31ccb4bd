package io.fdloop.journal;

import io.fdloop.FileBackendChoice;

/** The journal's contract on the THREADS file backend. */
class ThreadsJournalTest extends JournalContract {
    @Override
    FileBackendChoice backend() {
        return FileBackendChoice.THREADS;
    }
}
