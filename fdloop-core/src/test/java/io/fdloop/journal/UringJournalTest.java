package io.fdloop.journal;

import io.fdloop.FileBackendChoice;

/** The journal's contract on the URING file backend. */
class UringJournalTest extends JournalContract {
    @Override
    FileBackendChoice backend() {
        return FileBackendChoice.URING;
    }
}
