package io.fdloop.file;

import io.fdloop.file.FileBackend;

/** The contract on the thread backend (blocking calls on workers, completions through an eventfd). */
class ThreadsAsyncFileTest extends AsyncFileContract {
    @Override
    FileBackend backend() {
        return FileBackend.THREADS;
    }
}
