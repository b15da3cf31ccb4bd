package io.fdloop.file;

import io.fdloop.file.FileBackend;

/** The contract on io_uring (eventfd registered with IORING_REGISTER_EVENTFD). */
class UringAsyncFileTest extends AsyncFileContract {
    @Override
    FileBackend backend() {
        return FileBackend.URING;
    }
}
