package io.fdloop.file;

import io.fdloop.FileBackendChoice;

/** The contract on the thread backend (blocking calls on workers, completions through an eventfd). */
class ThreadsAsyncFileTest extends AsyncFileContract {
    @Override
    FileBackendChoice backend() {
        return FileBackendChoice.THREADS;
    }
}
