package io.fdloop.journal;

import io.fdloop.file.FileBackend;

/** The journal's contract on the URING file backend. */
class UringJournalTest extends JournalContract {
    @Override
    FileBackend backend() {
        return FileBackend.URING;
    }
}
