package io.fdloop.file;

import io.fdloop.FileBackendChoice;

/** The contract on io_uring (eventfd registered with IORING_REGISTER_EVENTFD). */
class UringAsyncFileTest extends AsyncFileContract {
    @Override
    FileBackendChoice backend() {
        return FileBackendChoice.URING;
    }
}
