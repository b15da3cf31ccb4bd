package io.fdloop.journal;

import io.fdloop.file.FileBackend;

/** The journal's contract on the AIO file backend. */
class AioJournalTest extends JournalContract {
    @Override
    FileBackend backend() {
        return FileBackend.AIO;
    }
}
