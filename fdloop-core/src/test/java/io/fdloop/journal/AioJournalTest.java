package io.fdloop.journal;

import io.fdloop.FileBackendChoice;

/** The journal's contract on the AIO file backend. */
class AioJournalTest extends JournalContract {
    @Override
    FileBackendChoice backend() {
        return FileBackendChoice.AIO;
    }
}
