package dev.vitcap.kernel;

class ReferenceBackendTest extends BackendContract {
    @Override
    protected Kernels open() {
        return new ReferenceKernels();
    }
}
